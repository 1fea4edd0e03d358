"""Who may write where: the one answer to "may this principal write to that timeline",
for the API's tokens today and for other kinds of principals (accounts) later."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    """Who writes: ``name`` (the author of revisions), ``admin`` (writes to every
    timeline and manages timelines) and ``timelines``, the ids of the timelines it may
    write to otherwise."""

    name: str
    admin: bool = False
    timelines: frozenset[int] = frozenset()


def may_write(principal: Principal, timeline_id: int) -> bool:
    """Return whether ``principal`` may change what the timeline ``timeline_id`` shows:
    add, change, delete or take away its events."""
    return principal.admin or timeline_id in principal.timelines


def may_write_all(principal: Principal, timeline_ids: Collection[int]) -> bool:
    """Return whether ``principal`` may write to every timeline of ``timeline_ids``: a
    change of an event shows in each timeline that holds it. An event in no timeline
    only an admin may change."""
    if not timeline_ids:
        return principal.admin
    return all(may_write(principal, t) for t in timeline_ids)


def may_manage(principal: Principal) -> bool:
    """Return whether ``principal`` may make, change and delete timelines."""
    return principal.admin
