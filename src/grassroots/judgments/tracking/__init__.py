"""Tracking judgments: which creators an order is credited to, by every attribution method (docs/attribution.md).

Pure functions over Polars frames: no database, web or network (tests/test_layout.py)."""
