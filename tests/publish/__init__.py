"""Tests of timeline.publish."""
