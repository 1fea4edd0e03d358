"""Tests of timeline.web."""
