"""Pure discovery judgments: stems for text search, niches, lookalikes, audience overlap, advocate ranking."""
