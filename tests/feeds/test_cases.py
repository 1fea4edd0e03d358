"""Renderer-level parts of the interoperability cases B01 to B24 (shared/cases/interop.md)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
from typing import Any
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import vobject
from lxml import etree
from lxml import html as lxml_html

from feeds import Entry, render_atom, render_ical, render_json_feed, render_rss
from tests.feeds.fixtures import channel

UTC = dt.UTC
RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
CHANNEL = channel("https://example.org/calendar.ics")
CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def timed(
    slug: str, title: str, start: str, end: str | None, timezone: str | None, **fields: Any
) -> Entry:
    """Build a timed event from local ISO wall times in ``timezone`` (UTC when None)."""
    tz = ZoneInfo(timezone) if timezone else UTC
    return Entry(
        id=slug,
        uid=f"event-{slug}@example.org",
        guid=f"tag:example.org,2025:event-{slug}",
        title=title,
        start=dt.datetime.fromisoformat(start).replace(tzinfo=tz),
        end=None if end is None else dt.datetime.fromisoformat(end).replace(tzinfo=tz),
        all_day=False,
        link=f"https://example.org/events/{slug}",
        created=dt.datetime(2025, 8, 1, 9, 0, tzinfo=UTC),
        updated=dt.datetime(2025, 8, 2, 9, 30, tzinfo=UTC),
        timezone=timezone,
        **fields,
    )


def all_day(slug: str, title: str, start: dt.date, end: dt.date | None, **fields: Any) -> Entry:
    """Build an all-day event; ``end`` is exclusive, as in the Entry contract."""
    return Entry(
        id=slug,
        uid=f"event-{slug}@example.org",
        guid=f"tag:example.org,2025:event-{slug}",
        title=title,
        start=start,
        end=end,
        all_day=True,
        link=f"https://example.org/events/{slug}",
        created=dt.datetime(2025, 1, 1, tzinfo=UTC),
        updated=dt.datetime(2025, 1, 2, tzinfo=UTC),
        **fields,
    )


def unfolded_lines(ics: bytes) -> list[str]:
    """Return the content lines of ``ics`` with RFC 5545 §3.1 folding undone."""
    return ics.decode("utf-8").replace("\r\n ", "").split("\r\n")


def vevent_lines(ics: bytes) -> list[str]:
    """Return the unfolded lines inside the VEVENTs of ``ics``."""
    lines: list[str] = []
    inside = False
    for line in unfolded_lines(ics):
        inside = (inside or line == "BEGIN:VEVENT") and line != "END:VEVENT"
        if inside:
            lines.append(line)
    return lines


def vevents(ics: bytes) -> list[icalendar.Event]:
    components = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    events = [component for component in components if isinstance(component, icalendar.Event)]
    assert len(events) == len(components)
    return events


def parse(body: bytes, content_type: str) -> Any:
    return feedparser.parse(body, response_headers={"content-type": content_type})


def test_b01_all_day_events_have_exclusive_dtend() -> None:
    single = all_day("spring", "Spring cleaning day", dt.date(2025, 2, 17), dt.date(2025, 2, 18))
    multi = all_day("fair", "Trade fair", dt.date(2025, 2, 17), dt.date(2025, 2, 20))
    no_end = all_day("quiet", "Quiet day", dt.date(2025, 2, 17), None)
    single = dataclasses.replace(single, timezone="Europe/Berlin")
    ics = render_ical(CHANNEL, [single, multi, no_end])
    lines = unfolded_lines(ics)
    blocks = ics.split(b"BEGIN:VEVENT\r\n")[1:]
    assert b"DTSTART;VALUE=DATE:20250217\r\nDTEND;VALUE=DATE:20250218\r\n" in blocks[0]
    assert b"DTSTART;VALUE=DATE:20250217\r\nDTEND;VALUE=DATE:20250220\r\n" in blocks[1]
    assert b"DTEND;VALUE=DATE:20250218\r\n" in blocks[2]
    for line in lines:
        if line.startswith(("DTSTART", "DTEND")):
            assert "TZID" not in line and "T" not in line.split(":", 1)[1]
    assert b"BEGIN:VTIMEZONE" not in ics
    spans = [event.end - event.start for event in vevents(ics)]
    assert spans == [dt.timedelta(days=1), dt.timedelta(days=3), dt.timedelta(days=1)]


def test_b03_timed_events_are_never_floating() -> None:
    choir = timed(
        "choir", "Choir rehearsal", "2025-08-20T16:00:00", "2025-08-20T18:00:00", "Europe/Madrid"
    )
    # The same instants given in UTC are still shown in the event's zone.
    in_utc = dataclasses.replace(
        choir,
        id="choir-utc",
        uid="event-choir-utc@example.org",
        start=dt.datetime(2025, 8, 20, 14, tzinfo=UTC),
        end=dt.datetime(2025, 8, 20, 16, tzinfo=UTC),
    )
    zoneless = dataclasses.replace(choir, id="z", uid="event-z@example.org", timezone=None)
    ics = render_ical(CHANNEL, [choir, in_utc, zoneless])
    lines = unfolded_lines(ics)
    assert lines.count("DTSTART;TZID=Europe/Madrid:20250820T160000") == 2
    assert lines.count("DTEND;TZID=Europe/Madrid:20250820T180000") == 2
    assert "DTSTART:20250820T140000Z" in lines
    assert "DTEND:20250820T160000Z" in lines
    assert "TZID:Europe/Madrid" in lines
    floating = re.compile(r"^(DTSTART|DTEND)(;VALUE=DATE-TIME)?:\d{8}T\d{6}$")
    assert not [line for line in vevent_lines(ics) if floating.match(line)]
    starts = [event.start for event in vevents(ics)]
    assert all(start == dt.datetime(2025, 8, 20, 14, tzinfo=UTC) for start in starts)


def test_b05_every_tzid_has_a_vtimezone_before_the_events() -> None:
    museum = timed(
        "museum",
        "Museum late opening",
        "2025-11-06T18:00:00",
        "2025-11-06T21:00:00",
        "Europe/Vienna",
    )
    panel = timed(
        "panel", "Remote panel", "2025-11-06T12:00:00", "2025-11-06T13:00:00", "America/New_York"
    )
    ics = render_ical(CHANNEL, [museum, panel])
    text = ics.decode()
    used = set(re.findall(r";TZID=([^:;]+)[:;]", text))
    defined = set(re.findall(r"\r\nTZID:([^\r]+)\r\n", text))
    assert used == defined == {"Europe/Vienna", "America/New_York"}
    assert text.rindex("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")
    calendar = icalendar.Calendar.from_ical(ics)
    for timezone in calendar.walk("VTIMEZONE"):
        parts = timezone.walk("STANDARD") + timezone.walk("DAYLIGHT")
        assert parts
        assert all("TZOFFSETFROM" in part and "TZOFFSETTO" in part for part in parts)
    # Outlook-style readers resolve the wall time through the VTIMEZONE itself.
    parsed = vobject.readOne(text)
    starts = sorted(event.dtstart.value.astimezone(UTC) for event in parsed.vevent_list)
    assert starts == [
        dt.datetime(2025, 11, 6, 17, tzinfo=UTC),
        dt.datetime(2025, 11, 6, 17, tzinfo=UTC),
    ]
    all_utc = timed("utc", "Call", "2025-11-06T12:00:00", "2025-11-06T13:00:00", "UTC")
    assert b"VTIMEZONE" not in render_ical(CHANNEL, [all_utc])


def test_b10_text_escaping_once() -> None:
    review = timed(
        "review",
        "Budget review, Q3; part 2 \\ final",
        "2025-09-09T09:00:00",
        "2025-09-09T10:00:00",
        "Europe/Paris",
        description="Line one\nLine two\nBring notes; pens, paper",
    )
    ics = render_ical(CHANNEL, [review])
    lines = unfolded_lines(ics)
    assert "SUMMARY:Budget review\\, Q3\\; part 2 \\\\ final" in lines
    assert "DESCRIPTION:Line one\\nLine two\\nBring notes\\; pens\\, paper" in lines
    (event,) = vevents(ics)
    assert event["SUMMARY"] == review.title
    assert event["DESCRIPTION"] == review.description


def test_b12_control_characters_are_stripped_everywhere() -> None:
    notes = timed(
        "notes",
        "Notes\u000c",
        "2025-09-11T09:00:00",
        "2025-09-11T10:00:00",
        "Europe/Paris",
        description="Agenda\u000bitem\u0000two\u001b[0m",
        tags=("a\u0007b",),
        location="Room\u007f 1",
    )
    rss = render_rss(CHANNEL, [notes])
    atom = render_atom(CHANNEL, [notes])
    ics = render_ical(CHANNEL, [notes])
    json_feed = render_json_feed(CHANNEL, [notes])
    for body in (rss, atom, ics, json_feed):
        assert not CONTROL.search(body)
    for body, content_type in ((rss, RSS_TYPE), (atom, ATOM_TYPE)):
        etree.fromstring(body)
        parsed = parse(body, content_type)
        assert parsed.bozo == 0
        assert parsed.entries[0].title == "Notes"
        assert parsed.entries[0].tags[0].term == "ab"
    (event,) = vevents(ics)
    assert event["SUMMARY"] == "Notes"
    assert event["DESCRIPTION"] == "Agendaitemtwo[0m"
    assert event["LOCATION"] == "Room 1"


def test_b14_uids_are_stable_and_derived_from_the_id() -> None:
    entries = [
        timed(
            "reading",
            "Reading circle",
            "2025-09-15T18:00:00",
            "2025-09-15T19:30:00",
            "Europe/Lisbon",
        ),
        timed("walk", "City walk", "2025-09-16T10:00:00", "2025-09-16T12:00:00", "Europe/Lisbon"),
        all_day("fest", "Street festival", dt.date(2025, 9, 20), dt.date(2025, 9, 21)),
    ]
    first = render_ical(CHANNEL, entries)
    second = render_ical(CHANNEL, list(reversed(entries)))
    uids = {str(event["UID"]) for event in vevents(first)}
    assert uids == {str(event["UID"]) for event in vevents(second)}
    assert uids == {"event-reading@example.org", "event-walk@example.org", "event-fest@example.org"}
    # The calendar carries no UID of its own (vdirsyncer would read it as every event's).
    assert ["UID" in icalendar.Calendar.from_ical(ics) for ics in (first, second)] == [False, False]
    assert render_ical(CHANNEL, entries) == first


def test_b17_sparse_event_and_empty_channel_description() -> None:
    quiet = all_day(
        "quiet-day", "Quiet day", dt.date(2025, 5, 5), dt.date(2025, 5, 6), timezone="Europe/Berlin"
    )
    channel = dataclasses.replace(CHANNEL, description="")
    rss = render_rss(channel, [quiet])
    atom = render_atom(channel, [quiet])
    assert parse(rss, RSS_TYPE).bozo == 0
    parsed_atom = parse(atom, ATOM_TYPE)
    assert parsed_atom.bozo == 0
    assert b'<link href="https://example.org/events/quiet-day" rel="alternate"/>' in atom
    assert parsed_atom.entries[0].link == "https://example.org/events/quiet-day"
    item = etree.fromstring(rss).find("channel/item")
    assert item is not None
    assert item.findtext("title") == "Quiet day"
    assert etree.fromstring(rss).findtext("channel/description") == "Example timeline"
    assert parsed_atom.feed.subtitle == "Example timeline"


def test_b18_markup_is_escaped_once_per_layer() -> None:
    text = 'Bring <laptop> & charger. Room "B" > 2'
    hack = timed(
        "hack",
        "Hack night",
        "2025-09-25T18:00:00",
        "2025-09-25T22:00:00",
        "Europe/Berlin",
        description=text,
    )
    rss = render_rss(CHANNEL, [hack])
    assert b"&amp;lt;laptop&amp;gt;" in rss
    rss_entry = parse(rss, RSS_TYPE).entries[0]
    assert html.unescape(rss_entry.summary) == text
    atom_entry = parse(render_atom(CHANNEL, [hack]), ATOM_TYPE).entries[0]
    assert atom_entry.content[0].value == text
    assert atom_entry.content[0].type == "text/plain"
    assert 'DESCRIPTION:Bring <laptop> & charger. Room "B" > 2' in unfolded_lines(
        render_ical(CHANNEL, [hack])
    )


def _shown_as_html(markup: str) -> str:
    """The text a reader shows for ``markup`` when it renders it as HTML."""
    return str(lxml_html.fragment_fromstring(markup, create_parent="p").text_content())


def test_rss_titles_are_escaped_as_descriptions_are() -> None:
    # Titles were escaped once: feedparser called "<b>bold</b>" HTML, and readers
    # that render titles as HTML showed it bold.
    title = 'AT&T <b>bold</b> & "quoted" > <script>x</script> &amp;'
    event = all_day("markup", title, dt.date(2025, 2, 17), None, description="Bring <laptop>")
    rss = render_rss(CHANNEL, [event])
    assert b"<title>AT&amp;amp;T &amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt; &amp;amp;" in rss
    raw = etree.fromstring(rss).findtext("channel/item/title")
    assert raw is not None and html.unescape(raw) == title and _shown_as_html(raw) == title
    entry = parse(rss, RSS_TYPE).entries[0]
    assert entry.title_detail.type == "text/html"
    assert _shown_as_html(entry.title) == title
    assert _shown_as_html(entry.summary) == "Bring <laptop>"
    # Atom says its title is text; JSON Feed's title is plain text.
    atom_entry = parse(render_atom(CHANNEL, [event]), ATOM_TYPE).entries[0]
    assert (atom_entry.title, atom_entry.title_detail.type) == (title, "text/plain")
    plain = all_day("plain", "Quiet day", dt.date(2025, 2, 17), None)
    assert etree.fromstring(render_rss(CHANNEL, [plain])).findtext("channel/item/title") == (
        "Quiet day"
    )


def test_b19_tags_with_commas_stay_separate_categories() -> None:
    concert = timed(
        "concert",
        "Park concert",
        "2025-09-27T19:00:00",
        "2025-09-27T21:00:00",
        "Europe/Rome",
        tags=("community, outdoor", "music"),
    )
    ics = render_ical(CHANNEL, [concert])
    assert "CATEGORIES:community\\, outdoor,music" in unfolded_lines(ics)
    (event,) = vevents(ics)
    assert [str(category) for category in event.categories] == ["community, outdoor", "music"]
    vevent = vobject.readOne(ics.decode()).vevent
    assert vevent.categories.value == ["community, outdoor", "music"]
    rss = etree.fromstring(render_rss(CHANNEL, [concert]))
    assert [c.text for c in rss.iterfind("channel/item/category")] == list(concert.tags)
    atom = etree.fromstring(render_atom(CHANNEL, [concert]))
    terms = [c.get("term") for c in atom.iterfind("{http://www.w3.org/2005/Atom}entry/*")]
    assert [term for term in terms if term] == list(concert.tags)


def test_b22_calendar_envelope_with_zero_and_one_event() -> None:
    town_hall = timed(
        "town-hall", "Town hall", "2025-10-06T18:00:00", "2025-10-06T19:00:00", "Europe/Dublin"
    )
    for entries in ([], [town_hall]):
        ics = render_ical(CHANNEL, entries)
        assert ics.startswith(b"BEGIN:VCALENDAR\r\n")
        assert ics.endswith(b"END:VCALENDAR\r\n")
        assert not re.search(rb"(?<!\r)\n", ics)
        lines = unfolded_lines(ics)
        assert lines.count("VERSION:2.0") == 1
        assert len([line for line in lines if line.startswith("PRODID:")]) == 1
        for line in (
            "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
            "X-PUBLISHED-TTL:PT1H",
            "NAME:Example timeline",
            "X-WR-CALNAME:Example timeline",
        ):
            assert line in lines
        assert "METHOD" not in ics.decode()
        calendar = icalendar.Calendar.from_ical(ics)
        assert len(calendar.walk("VEVENT")) == len(entries)
        assert len(vobject.readOne(ics.decode()).contents.get("vevent", [])) == len(entries)
    (event_block,) = ics.decode().split("BEGIN:VEVENT\r\n")[1:]
    event_lines = event_block.split("\r\n")
    assert len([line for line in event_lines if line.startswith("UID:")]) == 1
    stamps = [line for line in event_lines if line.startswith("DTSTAMP")]
    assert stamps == ["DTSTAMP:20250802T093000Z"]
    assert len([line for line in event_lines if line.startswith("DTSTART")]) == 1


def test_b24_feed_order_is_the_callers() -> None:
    talks = {
        "A": timed("a", "Talk A", "2025-03-01T18:00:00", "2025-03-01T19:00:00", "Europe/Berlin"),
        "B": timed("b", "Talk B", "2025-03-03T18:00:00", "2025-03-03T19:00:00", "Europe/Berlin"),
        "C": timed("c", "Talk C", "2025-03-02T18:00:00", "2025-03-02T19:00:00", "Europe/Berlin"),
    }
    newest_first = sorted(talks.values(), key=lambda entry: entry.start, reverse=True)
    expected = ["Talk B", "Talk C", "Talk A"]
    for body, content_type in (
        (render_rss(CHANNEL, newest_first), RSS_TYPE),
        (render_atom(CHANNEL, newest_first), ATOM_TYPE),
    ):
        parsed = parse(body, content_type)
        assert [entry.title for entry in parsed.entries] == expected
        published = [entry.published_parsed for entry in parsed.entries]
        assert published == sorted(published, reverse=True)
    first_day = dt.datetime(2025, 3, 1, 18, tzinfo=UTC)
    many = [
        timed(f"n{n}", f"Talk {n}", (first_day + dt.timedelta(days=n)).isoformat(), None, None)
        for n in range(63)
    ]
    newest_50 = sorted(many, key=lambda entry: entry.start, reverse=True)[:50]
    for body, content_type in (
        (render_rss(CHANNEL, newest_50), RSS_TYPE),
        (render_atom(CHANNEL, newest_50), ATOM_TYPE),
    ):
        titles = [entry.title for entry in parse(body, content_type).entries]
        assert titles == [f"Talk {n}" for n in range(62, 12, -1)]
