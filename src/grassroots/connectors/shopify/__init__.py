"""Shopify: the connector (orders, customers, discount codes), payload mapping, and the orders webhook."""
