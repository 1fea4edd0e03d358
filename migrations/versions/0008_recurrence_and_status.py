"""recurring events (RRULE, RDATE, EXDATE, overridden instances), STATUS, and tombstones
of deleted events

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=10), nullable=False, server_default="confirmed")
        )
        batch_op.add_column(sa.Column("rrule", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("rdate", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("exdate", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("recurrence_of", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("recurrence_id", sa.String(length=40), nullable=True))
        batch_op.add_column(
            sa.Column("tombstone", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index(
            batch_op.f("ix_events_recurrence_of"), ["recurrence_of"], unique=False
        )
        batch_op.create_check_constraint(
            "status_known", "status IN ('confirmed', 'tentative', 'cancelled')"
        )


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_events_status_known"), type_="check")
        batch_op.drop_index(batch_op.f("ix_events_recurrence_of"))
        for name in ("tombstone", "recurrence_id", "recurrence_of", "exdate", "rdate", "rrule", "status"):
            batch_op.drop_column(name)
