"""Long commands stopped by SIGTERM (a service manager's stop, ``timeout``, ``kill``)
end as Ctrl-C ends them: their cleanup runs."""

from __future__ import annotations

import functools
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

#: The exit status of a command stopped by SIGTERM: 128 + the signal's number, as a
#: shell reports a process the signal ended.
STOPPED_STATUS = 128 + signal.SIGTERM


def _stop(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def cleanup_on_sigterm(command: Callable[P, R]) -> Callable[P, R]:
    """Decorate a command so that, while it runs, SIGTERM raises SystemExit
    (:data:`STOPPED_STATUS`) in the main thread instead of ending the process at once:
    ``finally`` blocks and context managers run as for Ctrl-C (an export's temporary
    ``.FILE.<random>.partial`` is removed, an import's open transaction rolled back,
    the worker process shut down). Python's default for SIGTERM runs none of them. The
    handler that was there before is put back when the command ends. Off the main
    thread (where no handler can be set) the command runs as it is."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if threading.current_thread() is not threading.main_thread():
            return command(*args, **kwargs)
        before = signal.signal(signal.SIGTERM, _stop)
        try:
            return command(*args, **kwargs)
        finally:
            signal.signal(signal.SIGTERM, before)

    return wrapper
