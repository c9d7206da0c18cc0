"""Discovery: the search index, niches, semantic search, lookalikes, shortlists, advocates and audience overlap."""
