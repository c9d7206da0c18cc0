"""tracking: promo codes, orders, customers (attribution comes later)."""
