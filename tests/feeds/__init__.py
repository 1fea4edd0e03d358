"""Tests of the feeds library: its renderers, parsed back by the clients' libraries."""
