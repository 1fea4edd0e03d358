"""many timelines in one store: timelines, their texts, their events, tokens' timelines

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import context, op

import timeline.store.models

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

#: The slug of the default timeline made here (renamed through the API or CLI at will).
DEFAULT_SLUG = "main"


def upgrade() -> None:
    timelines = op.create_table(
        "timelines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("timezone", timeline.store.models.ZoneName(), nullable=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("updated", timeline.store.models.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timelines")),
        sa.UniqueConstraint("slug", name=op.f("uq_timelines_slug")),
    )
    op.create_table(
        "timeline_texts",
        sa.Column("timeline_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["timeline_id"],
            ["timelines.id"],
            name=op.f("fk_timeline_texts_timeline_id_timelines"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("timeline_id", "language", name=op.f("pk_timeline_texts")),
    )
    op.create_table(
        "timeline_events",
        sa.Column("timeline_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_timeline_events_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["timeline_id"],
            ["timelines.id"],
            name=op.f("fk_timeline_events_timeline_id_timelines"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("timeline_id", "event_id", name=op.f("pk_timeline_events")),
    )
    op.create_index("ix_timeline_events_event_id", "timeline_events", ["event_id"])
    op.create_table(
        "token_timelines",
        sa.Column("token_name", sa.String(length=100), nullable=False),
        sa.Column("timeline_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["timeline_id"],
            ["timelines.id"],
            name=op.f("fk_token_timelines_timeline_id_timelines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["token_name"],
            ["api_tokens.name"],
            name=op.f("fk_token_timelines_token_name_api_tokens"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_name", "timeline_id", name=op.f("pk_token_timelines")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("admin", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # The default timeline holds every existing event, at the store's version: its
    # documents keep their ETags. Existing tokens keep writing it, and only it (least
    # privilege: managing timelines and writing new ones takes an admin token).
    bind = op.get_bind()
    state = bind.execute(sa.text("SELECT version, updated FROM store_state WHERE id = 1")).first()
    version, updated = (0, dt.datetime(1970, 1, 1)) if state is None else tuple(state)
    if isinstance(updated, str):
        updated = dt.datetime.fromisoformat(updated)
    language = context.config.attributes.get("language", "en")
    op.bulk_insert(
        timelines,
        [
            {
                "id": 1,
                "slug": DEFAULT_SLUG,
                "language": language,
                "timezone": None,
                "version": version,
                "updated": updated.replace(tzinfo=dt.UTC),
            }
        ],
    )
    op.execute("INSERT INTO timeline_events (timeline_id, event_id) SELECT 1, id FROM events")
    op.execute(
        "INSERT INTO token_timelines (token_name, timeline_id) SELECT name, 1 FROM api_tokens"
    )
    if bind.dialect.name == "postgresql":  # the next id after the one given by hand
        op.execute("SELECT setval(pg_get_serial_sequence('timelines', 'id'), 1)")


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("admin")
    op.drop_table("token_timelines")
    op.drop_index("ix_timeline_events_event_id", table_name="timeline_events")
    op.drop_table("timeline_events")
    op.drop_table("timeline_texts")
    op.drop_table("timelines")
