"""PostgreSQL: the taken-ids look-up is planned for the table as it is at each call

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# Migration 0011's function let PostgreSQL keep one plan of its look-up for the
# connection. Kept from when ``events`` was empty (its cost estimated for a table of no
# rows), that plan read the whole of ix_events_deleted_start_id and filtered the ids: a
# POST's token query then cost more with every event stored (2.4 ms at 3,300 events)
# until an ANALYZE made PostgreSQL plan again, and never where autovacuum is off.
# Planned at each call instead (plan_cache_mode, PostgreSQL 12+), the look-up reads the
# primary key's index for the candidates once the table has rows; planning it costs
# less than a scan of a few hundred rows.
_SET = "ALTER FUNCTION timeline_taken_ids(varchar[]) SET plan_cache_mode = force_custom_plan"
_RESET = "ALTER FUNCTION timeline_taken_ids(varchar[]) RESET plan_cache_mode"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_SET)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_RESET)
