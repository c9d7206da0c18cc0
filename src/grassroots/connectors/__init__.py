"""Connectors: clients and mappers that bring platform and shop data into grassroots."""
