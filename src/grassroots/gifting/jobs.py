"""Job handlers: creating gift orders in the store, thank-you messages after delivery."""
