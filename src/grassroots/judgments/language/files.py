"""Where the shipped tone models live, their seed and metrics (no heavy imports, for the CLI)."""

from pathlib import Path

SEED = 42
METRICS = ("accuracy", "macro_f1", "macro_recall")
TRAINED_DIR = Path(__file__).resolve().parent / "trained"
