"""Reading: what the API, the views and the CLI call to read entities and analyses (no URLs here or below)."""
