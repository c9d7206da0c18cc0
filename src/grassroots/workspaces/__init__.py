"""Workspaces (brands), users, roles and API tokens."""
