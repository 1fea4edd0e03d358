"""store version row and each event's change version

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

import timeline.store.models

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    state = op.create_table(
        "store_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("updated", timeline.store.models.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_state")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("change_version", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch_op.create_index(batch_op.f("ix_events_change_version"), ["change_version"])
    # Existing events count as changed at version 1; the store's time is their newest.
    connection = op.get_bind()
    newest = connection.execute(sa.text("SELECT max(updated) FROM events")).scalar()
    if isinstance(newest, str):
        newest = dt.datetime.fromisoformat(newest)
    updated = (newest or dt.datetime(1970, 1, 1)).replace(tzinfo=dt.UTC)
    has_events = newest is not None
    op.bulk_insert(state, [{"id": 1, "version": 1 if has_events else 0, "updated": updated}])
    if has_events:
        op.execute("UPDATE events SET change_version = 1")


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_change_version"))
        batch_op.drop_column("change_version")
    op.drop_table("store_state")
