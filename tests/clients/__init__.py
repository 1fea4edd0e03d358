"""Tests with the real clients' libraries: vdirsyncer, VTIMEZONE readers, feed readers."""
