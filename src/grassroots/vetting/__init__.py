"""Vetting: pure judgments over Polars frames (no I/O) that say how credible an audience is."""
