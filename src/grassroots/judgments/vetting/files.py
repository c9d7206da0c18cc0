"""Where the shipped models live and the seed they are trained with (no heavy imports, for the CLI)."""

from pathlib import Path

SEED = 42
METRICS = ("accuracy", "precision", "recall", "f1")
TRAINED_DIR = Path(__file__).resolve().parent / "trained"
