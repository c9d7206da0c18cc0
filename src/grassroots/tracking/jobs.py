"""Job handlers: flushing the click log, creating codes in the store."""
