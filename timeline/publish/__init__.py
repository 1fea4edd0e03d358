"""Publishing: renderer inputs, stored VEVENT parts, assembled calendars, documents, caching."""
