"""Job handlers: flushing the click log into the database."""
