"""The creator portal: a signed, expiring, revocable link per collaboration; no account needed."""
