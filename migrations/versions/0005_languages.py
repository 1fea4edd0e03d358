"""event texts in several languages, the original one named, and the date as written

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing texts are in the configured LANGUAGE (timeline.store.migrations.upgrade
    # hands it over; "en", the default, otherwise).
    language = str(context.config.attributes.get("language", "en"))
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=35), nullable=True))
        batch_op.add_column(sa.Column("when_text", sa.String(length=200), nullable=True))
    op.execute(sa.text("UPDATE events SET language = :language").bindparams(language=language))
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.alter_column("language", existing_type=sa.String(length=35), nullable=False)
    op.create_table(
        "event_translations",
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_translations_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "language", name=op.f("pk_event_translations")),
    )
    # Parts per language: ics:zh-Hant-TW and longer.
    with op.batch_alter_table("event_parts", schema=None) as batch_op:
        batch_op.alter_column("kind", existing_type=sa.String(length=8), type_=sa.String(length=40))


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM event_parts WHERE kind <> 'ics'"))
    with op.batch_alter_table("event_parts", schema=None) as batch_op:
        batch_op.alter_column("kind", existing_type=sa.String(length=40), type_=sa.String(length=8))
    op.drop_table("event_translations")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("when_text")
        batch_op.drop_column("language")
