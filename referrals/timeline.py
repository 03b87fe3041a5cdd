"""The case timeline, assembled from entries each app contributes.

An app registers a source with ``@timeline_source(section)``: a function taking a case and
returning ``TimelineEntry`` items. ``section`` is the Share section an entry belongs to, so a
partner agency sees only entries from sections shared with it. The referrals app never imports
the apps that add to it; they register themselves when Django loads them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .models import Case

Source = Callable[[Case], Iterable["TimelineEntry"]]
_sources: list[tuple[str, Source]] = []


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    kind: str  # a short label, e.g. "Triage decision"
    title: str
    by: str = ""
    detail: str = ""
    lines: list[str] = field(default_factory=list)


def timeline_source(section: str) -> Callable[[Source], Source]:
    def register(source: Source) -> Source:
        _sources.append((section, source))
        return source

    return register


def timeline_for(case: Case, sections: Iterable[str]) -> list[TimelineEntry]:
    """Every entry the viewer may see, oldest first. Each source costs a fixed number of queries."""
    allowed = set(sections)
    entries = [
        entry for section, source in _sources if section in allowed for entry in source(case)
    ]
    return sorted(entries, key=lambda entry: entry.at)
