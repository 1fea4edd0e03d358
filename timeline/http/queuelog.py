"""Waitress's warning that requests wait for a thread, said once a minute at most.

Waitress logs ``Task queue depth is N`` (logger ``waitress.queue``) each time a request
is queued while every thread is busy: under a steady load, on most requests, which
costs the server CPU and fills its log with one line per request.
"""

from __future__ import annotations

import logging
import threading
import time

#: The logger waitress warns on.
QUEUE_LOGGER = "waitress.queue"


class OncePerInterval(logging.Filter):
    """A filter that lets a record through when ``interval`` seconds (monotonic) have
    passed since the last one it let through, and adds to it how many it held back
    meanwhile (``, N more since``); thread-safe."""

    def __init__(self, interval: float = 60.0) -> None:
        super().__init__()
        self.interval = interval
        self._last = -interval
        self._held = 0
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        """Return whether ``record`` is logged (and note the ones held back in it)."""
        now = time.monotonic()
        with self._lock:
            if now - self._last < self.interval:
                self._held += 1
                return False
            held, self._held, self._last = self._held, 0, now
        if held:
            record.msg = f"{record.msg} ({held} more since the last one said)"
        return True


def limit_queue_warnings(interval: float = 60.0) -> OncePerInterval:
    """Let waitress's queue-depth warning through once per ``interval`` seconds at most;
    return the filter installed on its logger."""
    once = OncePerInterval(interval)
    logging.getLogger(QUEUE_LOGGER).addFilter(once)
    return once
