"""Tests of timeline.dates."""
