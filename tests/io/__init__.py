"""Tests of timeline.io."""
