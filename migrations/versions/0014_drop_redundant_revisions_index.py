"""Drop ix_revisions_event_id: uq_revisions_event_seq, on (event_id, sequence), serves
every look-up by event_id

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# An event's revisions are read by event_id (its history, in sequence order), and the
# foreign key from revisions is checked by it when tombstones expire: both through the
# unique index on (event_id, sequence), whose first column is event_id. The index on
# event_id alone only cost every write one more index entry.


def upgrade() -> None:
    op.drop_index("ix_revisions_event_id", table_name="revisions")


def downgrade() -> None:
    op.create_index("ix_revisions_event_id", "revisions", ["event_id"], unique=False)
