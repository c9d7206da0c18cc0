"""TikTok Display API: the connector (sync)."""
