"""Gifting and seeding: products, gift orders in the store, shipments, thank-yous."""
