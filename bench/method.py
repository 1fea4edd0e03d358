"""How the benchmark measures, as the closing section of docs/benchmarks.md."""

METHOD = """\
## Method

The machine is shared and noisy, so every comparison is a ratio of figures measured in
the same run, and every time is the median of several rounds in which the cases are
interleaved (peer, then ours, round after round).

- **Events** (`bench/generate.py`): a deterministic generator (seeded per event) of
  all-day, multi-day and timed events (in seven IANA zones, UTC and none), events known to
  the month or the year, approximate dates, English, Chinese and emoji text, tags and
  organizations (some named by an alias). Stores up to 10,000 events are loaded through
  `timeline.store.writes.create_event`, one commit per 1,000; larger ones in bulk with SQLAlchemy
  core (`bench/load.py`), writing the rows `create_event` writes (events, tags, links,
  first revisions); `bench.load.verify_bulk` loads the same events both ways and compares
  every table.
- **Rendering** (`bench/render.py`, one process, SQLite file under /tmp/timeline-bench):
  django-ical's `ICal20Feed` and Django's `Rss201rev2Feed` are given item fields prepared
  beforehand from the same events (title with its precision marker, body text, dates), so
  they are timed on building and serializing the feed only, with no database and no text
  building: that favours them. Ours is timed through the Flask test client as a
  subscriber sees it: (a) the parts table emptied and a new app, so every VEVENT is
  rendered and stored; (b) a new app over stored parts, as after a restart (in-memory
  cache empty); every app has an empty spool of its own, so neither (a) nor (b) is sent
  from a file kept on disk by an earlier app (a real restart keeps the spool, and would
  send an unchanged large calendar from it); (c) on that app, one event's title changed
  with `store.update_event` and committed, then the calendar requested again. The
  breakdown times the pieces of (b): the store-version query, the time-zone queries,
  the join of stored parts through `export_chunks`, and gzip of the body.
- **HTTP** (`bench/throughput.py`): a real `timeline serve` subprocess (waitress) over a
  bulk-loaded SQLite file, warmed by one request of each kind, against `bench/ceiling.py`:
  waitress with the same thread count serving the very bytes and headers fetched from
  `timeline serve` from a plain WSGI callable (the ceiling) and from a bare Flask route
  (for reference). The 304 case sends the calendar's `If-None-Match`. wrk runs each case
  for a few seconds per round; the order alternates between rounds.
- **Memory** (`bench/memory.py`): `/usr/bin/time -v timeline export --format ics` with
  standard output redirected to a file, first with no stored parts (cold: every VEVENT
  rendered and stored), then again (warm). `export` renders and stores the missing parts
  in a worker process it forks, so the figure is the peak of the proportional set size
  (PSS: a page shared by the two processes counts half in each) of the command and its
  worker summed, read from `/proc/<pid>/smaps_rollup` every 0.25 s; the command's own
  peak RSS is GNU time's "Maximum resident set size". `-o /dev/null` is not used:
  `export` writes `<output>.partial` beside the output and renames it over the output,
  which for `/dev/null` would replace the device.
- **Writes** (`bench/writes.py`): 16 client threads, each with a keep-alive connection
  (a plain HTTP/1.1 client on its socket, reading only the status, Content-Length,
  Location and Connection of each answer: it costs about 0.1 ms of CPU per request,
  http.client cost 0.25), POST new events (`{"title", "start", "tags"}`, unique
  titles) to `/api/events` with a token from `timeline token create`, for 30 seconds,
  against `timeline serve` on an empty SQLite file and on an empty PostgreSQL schema
  (and, for reference, on SQLite already holding events). Every 201's `Location` id
  is then looked up in the store; "database is locked" is counted in response bodies
  and in the server's log.
"""
