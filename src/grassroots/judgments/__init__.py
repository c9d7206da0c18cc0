"""Pure judgments: frame -> frame functions and their shipped models. Nothing here imports the database, the
web layer, the network, the connectors or a domain package (tests/test_layout.py enforces it)."""
