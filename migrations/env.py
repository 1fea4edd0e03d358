"""Alembic environment: migrates the connection that timeline.store.migrations hands over."""

from __future__ import annotations

from alembic import context

import timeline.store.accounts  # noqa: F401  (its tables are on Base.metadata)
from timeline.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
