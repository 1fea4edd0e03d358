"""An Idempotency-Key is its sender's own in each timeline

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

import timeline.store.models

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# A key was the store's one: a token that sent a key another token had used, to any
# timeline, was answered with the other token's event (200), in a timeline it may not
# have been able to read, and nothing was made. Now the key is looked up with who sent
# it (the Principal's name, as revisions record it) and the timeline it was sent to.
# A key kept from before is its event's: its sender is the author of the event's first
# revision, and, as nothing recorded which timeline the request went to, it is kept for
# each timeline that holds the event (a repeat to any of them gets that event, which
# it holds). A key whose event is in no timeline is dropped: a repeat of its request
# makes the event again, as a first request would.
_OWNED = """
INSERT INTO idempotency_keys (owner, timeline_id, key, request_hash, event_id, created)
SELECT r.author, t.timeline_id, k.key, k.request_hash, k.event_id, k.created
FROM idempotency_keys_0012 k
JOIN timeline_events t ON t.event_id = k.event_id
JOIN revisions r ON r.event_id = k.event_id
 AND r.sequence = (SELECT min(f.sequence) FROM revisions f WHERE f.event_id = k.event_id)
"""
# Down to one key for the store: the first use of each key stays.
_FIRST_USES = """
CREATE TABLE idempotency_keys_0013 AS
SELECT key, request_hash, event_id, created FROM idempotency_keys k WHERE NOT EXISTS (
  SELECT 1 FROM idempotency_keys AS e WHERE e.key = k.key
  AND (e.created < k.created
       OR (e.created = k.created AND (e.owner, e.timeline_id) < (k.owner, k.timeline_id))))
"""


def _table(*scope: sa.Column[Any]) -> None:
    """Create ``idempotency_keys`` with the columns ``scope`` first in its primary key."""
    names = [column.name for column in scope]
    foreign = [
        sa.ForeignKeyConstraint(
            ["timeline_id"],
            ["timelines.id"],
            name=op.f("fk_idempotency_keys_timeline_id_timelines"),
            ondelete="CASCADE",
        )
    ]
    op.create_table(
        "idempotency_keys",
        *scope,
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("created", timeline.store.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_idempotency_keys_event_id_events")
        ),
        *(foreign if "timeline_id" in names else []),
        sa.PrimaryKeyConstraint(*names, "key", name=op.f("pk_idempotency_keys")),
    )


def upgrade() -> None:
    op.execute(
        "CREATE TABLE idempotency_keys_0012 AS"
        " SELECT key, request_hash, event_id, created FROM idempotency_keys"
    )
    op.drop_table("idempotency_keys")
    _table(
        sa.Column("owner", sa.String(length=100), nullable=False),
        sa.Column("timeline_id", sa.Integer(), nullable=False),
    )
    op.execute(_OWNED)
    op.drop_table("idempotency_keys_0012")


def downgrade() -> None:
    op.execute(_FIRST_USES)
    op.drop_table("idempotency_keys")
    _table()
    op.execute(
        "INSERT INTO idempotency_keys (key, request_hash, event_id, created)"
        " SELECT key, request_hash, event_id, created FROM idempotency_keys_0013"
    )
    op.drop_table("idempotency_keys_0013")
