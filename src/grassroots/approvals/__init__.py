"""Content approvals and the UGC library: drafts with versions and comments, disclosure checked, rights kept."""
