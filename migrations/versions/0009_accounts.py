"""the editors' accounts: Argon2id password hashes, rights by timeline id, sign-in
sessions, failed sign-ins in a row

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from timeline.store.models import UtcDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("admin", sa.Boolean(), nullable=False),
        sa.Column("created", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_accounts")),
    )
    op.create_table(
        "account_timelines",
        sa.Column("account", sa.String(length=64), nullable=False),
        sa.Column("timeline_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account"],
            ["accounts.name"],
            name=op.f("fk_account_timelines_account_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["timeline_id"],
            ["timelines.id"],
            name=op.f("fk_account_timelines_timeline_id_timelines"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account", "timeline_id", name=op.f("pk_account_timelines")),
    )
    op.create_table(
        "account_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("account", sa.String(length=64), nullable=False),
        sa.Column("expires", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account"],
            ["accounts.name"],
            name=op.f("fk_account_sessions_account_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_account_sessions")),
    )
    op.create_index(
        op.f("ix_account_sessions_account"), "account_sessions", ["account"], unique=False
    )
    op.create_table(
        "sign_in_failures",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sign_in_failures")),
    )


def downgrade() -> None:
    op.drop_table("sign_in_failures")
    op.drop_index(op.f("ix_account_sessions_account"), table_name="account_sessions")
    op.drop_table("account_sessions")
    op.drop_table("account_timelines")
    op.drop_table("accounts")
