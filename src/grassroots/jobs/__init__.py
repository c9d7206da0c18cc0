"""Background jobs: a durable, lease-based queue in the app's own database (SQLite or PostgreSQL)."""
