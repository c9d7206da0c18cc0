"""Job handlers: refresh tokens before they expire, fetch shared figures."""
