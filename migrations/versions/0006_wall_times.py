"""timed events kept as the wall time entered, the tz rules their instants follow, and
organizations' names by language

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import sqlalchemy as sa
from alembic import op

from timeline.store.walltime import UTC_NAMES, rules_version

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _moment(value: object) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(moment, dt.datetime)
    return moment.replace(tzinfo=dt.UTC)


def _wall(value: object, zone: zoneinfo.ZoneInfo) -> str | None:
    return None if value is None else _moment(value).astimezone(zone).isoformat()


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("wall_start", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("wall_end", sa.String(length=40), nullable=True))
    with op.batch_alter_table("store_state", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("zones", sa.String(length=16), nullable=False, server_default="")
        )
    # The wall times of stored timed events, as the rules of today show their instants:
    # from now on those wall times are the truth.
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            'SELECT id, start, "end", timezone FROM events '
            "WHERE NOT all_day AND timezone IS NOT NULL"
        )
    ).all()
    update = sa.text("UPDATE events SET wall_start = :start, wall_end = :end WHERE id = :id")
    for event_id, start, end, name in rows:
        if name in UTC_NAMES:
            continue
        try:
            zone = zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            continue  # read back as UTC (timeline.store.models.ZoneName): kept in UTC
        bind.execute(update, {"id": event_id, "start": _wall(start, zone), "end": _wall(end, zone)})
    op.execute(sa.text("UPDATE store_state SET zones = :zones").bindparams(zones=rules_version()))
    op.create_table(
        "organization_names",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_organization_names_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "language", name=op.f("pk_organization_names")),
    )


def downgrade() -> None:
    op.drop_table("organization_names")
    with op.batch_alter_table("store_state", schema=None) as batch_op:
        batch_op.drop_column("zones")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("wall_end")
        batch_op.drop_column("wall_start")
