"""The brand's handling of each mention."""
