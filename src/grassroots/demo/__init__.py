"""Synthetic demo world: seeded, reproducible, and labelled synthetic wherever it shows."""
