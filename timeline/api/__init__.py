"""The JSON API: its blueprint, write tokens, and the OpenAPI document."""
