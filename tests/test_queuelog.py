"""Waitress's queue-depth warning, said once per interval with the count held back."""

from __future__ import annotations

import logging

import pytest

from timeline.http.queuelog import QUEUE_LOGGER, OncePerInterval, limit_queue_warnings


def test_a_warning_is_said_once_per_interval_with_the_count_held_back(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr("timeline.http.queuelog.time.monotonic", lambda: clock[0])
    once = limit_queue_warnings(60.0)
    logger = logging.getLogger(QUEUE_LOGGER)
    try:
        with caplog.at_level(logging.WARNING, logger=QUEUE_LOGGER):
            for depth in (3, 4, 5):
                logger.warning("Task queue depth is %d", depth)
            clock[0] += 59.9
            logger.warning("Task queue depth is %d", 6)
            clock[0] += 0.2
            logger.warning("Task queue depth is %d", 7)
    finally:
        logger.removeFilter(once)
    said = [r.getMessage() for r in caplog.records if r.name == QUEUE_LOGGER]
    assert said == [
        "Task queue depth is 3",
        "Task queue depth is 7 (3 more since the last one said)",
    ]


def test_the_first_warning_is_said_at_once() -> None:
    once = OncePerInterval(60.0)
    record = logging.LogRecord(QUEUE_LOGGER, logging.WARNING, "", 0, "depth %d", (2,), None)
    assert once.filter(record)
    assert not once.filter(record)
