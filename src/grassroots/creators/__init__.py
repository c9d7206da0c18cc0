"""Creators, their social accounts, posts, comments and follower history."""
