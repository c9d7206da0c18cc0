"""WooCommerce REST API v3: the connector, payload mapping, and the orders webhook."""
