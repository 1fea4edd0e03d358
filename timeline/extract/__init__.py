"""Extraction of dated events from news articles, for an editor to review.

An article flows one way through these stages, one module each (see
:mod:`timeline.extract.pipeline`): :mod:`~timeline.extract.layout` and
:mod:`~timeline.extract.page` (the text and its layout), :mod:`~timeline.extract.sentences`,
:mod:`~timeline.extract.dates` and :mod:`~timeline.extract.references` (date expressions,
from the dates scanner, and dates given by reference to an event),
:mod:`~timeline.extract.events` (event or not), :mod:`~timeline.extract.resolve` (the
resolved date), :mod:`~timeline.extract.titles` (title and actors) and
:mod:`~timeline.extract.merge` (merged candidates, within an article and across many).
"""
