"""Grants (encrypted tokens a creator gave) and the figures they shared."""
