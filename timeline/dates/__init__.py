"""Dates: the grammar of dates in running news text (Chinese and English) and its readers.

- :mod:`~timeline.dates.scan`: every date expression of a text, with its offsets, kind
  (absolute, relative, anaphoric), span and TIMEX3 value;
- :mod:`~timeline.dates.normalize`: ``parse_when``, one whole expression read into a span;
- :mod:`~timeline.dates.grammar` and ``grammar/<language>.toml``: the grammar as data,
  compiled into :mod:`~timeline.dates.matcher`; :mod:`~timeline.dates.joins` joins its
  matches (ranges, lists, since/until); :mod:`~timeline.dates.frames` reads a match's
  slots (through ``reader``, ``points``, ``ranges``, ``parts``, ``clock``, ``holidays``);
- :mod:`~timeline.dates.periods`, :mod:`~timeline.dates.timex`: spans and their TIMEX3
  values; :mod:`~timeline.dates.spans`: the API's date forms read into spans;
- :mod:`~timeline.dates.tense`, :mod:`~timeline.dates.dateline`: the tense of a clause
  and the dateline of an article.
"""
