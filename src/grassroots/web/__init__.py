"""Web layer: the FastAPI app serving pages (Jinja2 + HTMX) and the JSON API."""
