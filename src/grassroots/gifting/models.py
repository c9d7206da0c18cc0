"""Products offered as gifts, gift orders and their shipments."""
