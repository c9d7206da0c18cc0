"""Cells written to CSV files people open in a spreadsheet: a formula in a comment must not run (CSV injection).

A text cell that begins with ``= + - @``, a tab or a carriage return is prefixed with ``'`` (OWASP's advice),
so Excel, LibreOffice and Sheets show it as text. Used by every CSV the product writes.
"""

from __future__ import annotations

import polars as pl

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PATTERN = r"^[=+\-@\t\r]"


def safe_cell(value: object) -> object:
    """``value``, with a leading ``'`` when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every text cell made safe as ``safe_cell`` does (numbers are left as they are)."""
    texts = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    guarded = [
        pl.when(pl.col(name).str.contains(_PATTERN))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in texts
    ]
    return frame.with_columns(guarded) if guarded else frame
