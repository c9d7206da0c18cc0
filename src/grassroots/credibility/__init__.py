"""Credibility reports: runs the pure vetting judgment over the store and keeps dated results."""
