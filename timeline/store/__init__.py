"""The event store: models, engine, migrations, writes with revisions, reads, store version."""
