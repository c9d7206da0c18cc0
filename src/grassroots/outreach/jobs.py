"""Job handlers: follow-ups and reply polling."""
