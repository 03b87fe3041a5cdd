"""What is due: the sources each app registers, as the case timeline's are.

An app registers one source with ``@reminder_source``, in its own ``reminders.py`` imported from
its ``AppConfig.ready``: a function taking ``now`` and yielding a ``Due`` for every reminder that
should exist at that moment, one per recipient (one query per kind, as a rule). The job
(``services.send_reminders``) inserts those not made yet and emails them; this package never
imports the apps.

A source yields what is due whether or not it was made before: the unique (kind, key, recipient)
makes a second yield a no-op. So a source needs no memory of its own, and the key must hold the
event's date, so that a moved event is reminded again.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

_KIND = re.compile(r"^[a-z_]+\.[a-z_]+$")


@dataclass(frozen=True)
class Due:
    """One reminder that should exist.

    ``kind`` is namespaced by the app ("spo.hearing_day"): its email is the template
    ``<app>/email/<name>.txt``. ``recipient_id`` is a user; ``email`` an address for someone
    with no account; neither means nobody could be told (logged once, by reference).
    ``context`` is what the email template needs besides the message and the link; its
    "reference" names the record in logs. Never a name or an address of a victim or suspect.
    """

    kind: str
    key: str
    event_at: datetime.datetime
    message: str
    url: str
    context: dict = field(default_factory=dict)
    recipient_id: int | None = None
    email: str = ""

    def __post_init__(self):
        if not _KIND.match(self.kind):
            raise ValueError(f'A reminder kind is "app.name", not {self.kind!r}')
        if "reference" not in self.context:
            raise ValueError(f"A {self.kind} reminder needs a reference in its context")


Source = Callable[[datetime.datetime], Iterable[Due]]
_sources: list[Source] = []


def reminder_source(source: Source) -> Source:
    if source not in _sources:
        _sources.append(source)
    return source


def due_at(now: datetime.datetime) -> Iterator[Due]:
    """Every reminder every app says should exist at ``now``."""
    for source in _sources:
        yield from source(now)
