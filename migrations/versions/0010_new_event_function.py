"""PostgreSQL: one function that writes a new event's rows and stamps its change

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# The rows come as one JSON document (timeline.store.deferred.document), read into each
# table's own row type; PostgreSQL keeps the plans of the function's statements for
# the session, where the same statement sent as text is planned at every write. The
# tags are inserted before the version row is locked: a tag that another writer has
# just inserted is waited for without holding that lock. A kind of part the event has
# none of costs no statement.
_CREATE = """
CREATE FUNCTION timeline_new_event(doc jsonb, stamped_at timestamp, span bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    version_given bigint := 0;
BEGIN
    IF doc -> 'tags' <> '[]' THEN
        INSERT INTO tags (slug)
            SELECT r.tag_slug FROM jsonb_populate_recordset(NULL::event_tags, doc -> 'tags') AS r
            ON CONFLICT (slug) DO NOTHING;
    END IF;
    IF stamped_at IS NOT NULL THEN
        UPDATE store_state SET version = version + 1,
            updated = GREATEST(updated, stamped_at),
            longest = GREATEST(longest, span)
        WHERE id = 1 RETURNING version INTO version_given;
    END IF;
    INSERT INTO events SELECT * FROM jsonb_populate_record(
        NULL::events, jsonb_set(doc -> 'event', '{change_version}', to_jsonb(version_given))
    );
    IF doc -> 'tags' <> '[]' THEN
        INSERT INTO event_tags
            SELECT * FROM jsonb_populate_recordset(NULL::event_tags, doc -> 'tags');
    END IF;
    IF doc -> 'organizations' <> '[]' THEN
        INSERT INTO event_organizations SELECT * FROM jsonb_populate_recordset(
            NULL::event_organizations, doc -> 'organizations'
        );
    END IF;
    IF doc -> 'translations' <> '[]' THEN
        INSERT INTO event_translations SELECT * FROM jsonb_populate_recordset(
            NULL::event_translations, doc -> 'translations'
        );
    END IF;
    INSERT INTO timeline_events (timeline_id, event_id)
        SELECT CAST(t AS integer), doc -> 'event' ->> 'id'
        FROM jsonb_array_elements_text(doc -> 'timelines') AS t;
    INSERT INTO revisions (event_id, sequence, action, author, at, data)
        SELECT r.event_id, r.sequence, r.action, r.author, r.at, r.data
        FROM jsonb_populate_record(NULL::revisions, doc -> 'revision') AS r;
    IF stamped_at IS NOT NULL THEN
        UPDATE timelines SET version = version_given, updated = GREATEST(updated, stamped_at)
        WHERE id IN (
            SELECT CAST(t AS integer) FROM jsonb_array_elements_text(doc -> 'timelines') AS t
        );
    END IF;
    RETURN version_given;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_CREATE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION timeline_new_event(jsonb, timestamp, bigint)")
