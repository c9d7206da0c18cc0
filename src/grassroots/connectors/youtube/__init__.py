"""YouTube Data API v3: the connector (sync) and the API's payloads and quota units."""
