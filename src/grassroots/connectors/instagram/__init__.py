"""Instagram Graph API: the connector (sync), Graph payload mapping, the hashtag budget and the webhook."""
