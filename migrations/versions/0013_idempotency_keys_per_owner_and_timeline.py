"""An Idempotency-Key is its sender's own in each timeline

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# A key was the store's one: a token that sent a key another token had used, to any
# timeline, was answered with the other token's event (200), in a timeline it may not
# have been able to read, and nothing was made. Now the key is looked up with who sent
# it (the Principal's name, as revisions record it) and the timeline it was sent to.
# A key kept from before is its event's: the author of the event's first revision, and
# the first timeline that holds the event. A key whose event is in no timeline is
# dropped: a repeat of its request makes the event again, as a first request would.
_OWNERS = """
UPDATE idempotency_keys SET
  owner = (SELECT r.author FROM revisions r WHERE r.event_id = idempotency_keys.event_id
           ORDER BY r.sequence LIMIT 1),
  timeline_id = (SELECT min(t.timeline_id) FROM timeline_events t
                 WHERE t.event_id = idempotency_keys.event_id)
"""
_UNOWNED = "DELETE FROM idempotency_keys WHERE owner IS NULL OR timeline_id IS NULL"
# Down to one key for the store: the first use of each key stays.
_LATER_USES = """
DELETE FROM idempotency_keys WHERE EXISTS (
  SELECT 1 FROM idempotency_keys AS first WHERE first.key = idempotency_keys.key
  AND (first.created < idempotency_keys.created
       OR (first.created = idempotency_keys.created
           AND (first.owner, first.timeline_id) < (idempotency_keys.owner,
                                                   idempotency_keys.timeline_id))))
"""


def upgrade() -> None:
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("timeline_id", sa.Integer(), nullable=True))
    op.execute(_OWNERS)
    op.execute(_UNOWNED)
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.alter_column("owner", existing_type=sa.String(length=100), nullable=False)
        batch_op.alter_column("timeline_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint("pk_idempotency_keys", type_="primary")
        batch_op.create_primary_key("pk_idempotency_keys", ["owner", "timeline_id", "key"])
        batch_op.create_foreign_key(
            op.f("fk_idempotency_keys_timeline_id_timelines"),
            "timelines",
            ["timeline_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    op.execute(_LATER_USES)
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_constraint(
            op.f("fk_idempotency_keys_timeline_id_timelines"), type_="foreignkey"
        )
        batch_op.drop_constraint("pk_idempotency_keys", type_="primary")
        batch_op.create_primary_key("pk_idempotency_keys", ["key"])
        batch_op.drop_column("timeline_id")
        batch_op.drop_column("owner")
