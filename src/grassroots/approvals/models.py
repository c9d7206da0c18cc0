"""Content drafts, their versions and comments, and the UGC library."""
