"""Briefs and agreements: versioned documents a creator reads and signs, rendered as a page and a PDF."""
