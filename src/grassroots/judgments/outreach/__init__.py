"""Pure outreach text: templates and their placeholders, the concrete detail of a post, the personal draft."""
