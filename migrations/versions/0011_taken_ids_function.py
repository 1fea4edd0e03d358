"""PostgreSQL: one function that says which of a POST's candidate ids are taken

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# The token query of a POST reads which of the event's first candidate ids are taken
# (timeline.api.routes). Sent as text, that query was planned at every write, so that
# a plan made while ``events`` was small could not stay in use as it grew. Through this
# function the query can be prepared: the look-up inside it is planned without
# sequential scans, so the plan that PostgreSQL keeps for the session reads the
# primary key's index whatever the table's size was when it was made.
_CREATE = """
CREATE FUNCTION timeline_taken_ids(candidates varchar[])
RETURNS varchar[] LANGUAGE plpgsql STABLE SET enable_seqscan = off AS $$
BEGIN
    RETURN ARRAY(SELECT id FROM events WHERE id = ANY(candidates));
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_CREATE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION timeline_taken_ids(varchar[])")
