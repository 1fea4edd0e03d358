"""The event's JSON contract: schemas, field types, text checks, parsing a body, the output."""
