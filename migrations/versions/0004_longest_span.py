"""the longest event span, and the listing index with the id as tie-breaker

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _moment(value: object) -> dt.datetime:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[return-value]


def upgrade() -> None:
    with op.batch_alter_table("store_state", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("longest", sa.BigInteger(), nullable=False, server_default="0")
        )
    rows = op.get_bind().execute(sa.text('SELECT start, "end" FROM events WHERE "end" IS NOT NULL'))
    spans = [(_moment(end) - _moment(start)).total_seconds() for start, end in rows]
    if spans:
        op.execute(
            sa.text("UPDATE store_state SET longest = :longest").bindparams(
                longest=int(max(spans)) + 1
            )
        )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_deleted_start")
        batch_op.create_index("ix_events_deleted_start_id", ["deleted", "start", "id"])


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_deleted_start_id")
        batch_op.create_index("ix_events_deleted_start", ["deleted", "start"])
    with op.batch_alter_table("store_state", schema=None) as batch_op:
        batch_op.drop_column("longest")
