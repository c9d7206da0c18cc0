"""Batch engine: runs the vetting judgments over Parquet/Arrow, locally or on Spark; imports judgments only."""
