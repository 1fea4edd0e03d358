"""What the API and the pages share: problem details, filters, lookup, JSON bodies, sessions."""
