"""Batch engine: runs the pure judgments over Parquet, locally (process pool) or on Spark."""
