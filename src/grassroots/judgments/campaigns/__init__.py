"""Campaign judgments: the Monte-Carlo forecast, the budget optimiser and fair compensation (docs/forecast.md).

Pure functions over Polars frames and numpy arrays: no database, web or network (tests/test_layout.py)."""
