"""The Tracking issue's three benchmarks in one command; each part is its own script and can run alone.

1. the redirector: ``/r/{slug}`` on loopback for 30 s, redirects/s, p99, clicks stored = redirects answered, also
   across a ``kill -9`` of the server (benchmarks/tracking_redirects.py);
2. attribution of 1,000,000 orders against 10,000 codes and 5,000,000 clicks by every method
   (benchmarks/tracking_attribution.py);
3. a burst of 10,000 signed Shopify order webhooks: none lost, none doubled (benchmarks/tracking_webhooks.py).

Run: .venv/bin/python benchmarks/tracking.py [--part redirects|attribution|webhooks] [-- extra flags for the part]
Figures go to docs/performance.md by hand, with the machine's load noted. Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARTS = {
    "redirects": "tracking_redirects.py",
    "attribution": "tracking_attribution.py",
    "webhooks": "tracking_webhooks.py",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=sorted(PARTS), action="append", help="run only this part (repeatable)")
    parser.add_argument("extra", nargs="*", help="flags passed to the part's script (after --)")
    args = parser.parse_args()
    failed = 0
    for part in args.part or list(PARTS):
        print(f"==> {part}", flush=True)
        failed |= subprocess.call([sys.executable, str(HERE / PARTS[part]), *args.extra])
    return failed


if __name__ == "__main__":
    raise SystemExit(main())
