"""Tests of timeline and feeds."""
