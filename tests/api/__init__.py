"""Tests of timeline.api."""
