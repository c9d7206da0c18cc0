"""Campaigns and collaborations (placeholders; the campaigns issue fills them)."""
