"""Tests of timeline.store."""
