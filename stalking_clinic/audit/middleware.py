"""Gives every request ``request.audit``, the one way views log what a user consulted.

Before a consultation is logged, the gates other apps register (``consultation_gate``) may stop
the page: the referrals area sends someone opening a record outside their own work to say why
first (break-glass), whichever of the record's pages they opened. A gate returns the response to
send instead (the view's work is abandoned), or None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.http import HttpResponse

from .models import AuditEvent
from .services import describe, download_recipient, record, reference

Gate = Callable[..., "HttpResponse | None"]
_gates: list[Gate] = []


def consultation_gate(gate: Gate) -> Gate:
    """Register ``gate(request, obj)``, asked before each consultation of ``obj`` is logged."""
    if gate not in _gates:
        _gates.append(gate)
    return gate


class ConsultationStopped(Exception):
    """A gate stopped the page; ``response`` is sent instead (``AuditMiddleware``)."""

    def __init__(self, response: HttpResponse):
        super().__init__("consultation stopped by a gate")
        self.response = response


class RequestAudit:
    def __init__(self, request):
        self._request = request
        self.consultations: list[AuditEvent] = []

    def consulted(
        self,
        obj,
        *,
        justification: str = "",
        people: Iterable = (),
        break_glass: bool = False,
        gated: bool = True,
    ) -> AuditEvent:
        """Log that the signed-in user viewed ``obj`` (a page showing a person's details).
        ``people``: the people the page shows besides ``obj`` (a case's victim and suspects), so
        each person's history finds this consultation too. ``break_glass``: opened outside the
        user's own work, for the reason in ``justification``.

        Unless ``break_glass`` (the reason was just given) or not ``gated`` (a page about the
        record's audit trail, showing none of its data), the registered gates are asked first; one
        may stop the page (``ConsultationStopped``)."""
        if gated and not break_glass:
            for gate in _gates:
                response = gate(self._request, obj)
                if response is not None:
                    raise ConsultationStopped(response)
        event = record(
            actor=self._request.user,
            action=AuditEvent.Action.CONSULTATION,
            obj=obj,
            justification=justification,
            request=self._request,
            records=[reference(person) for person in people if person is not None],
            break_glass=break_glass,
        )
        self.consultations.append(event)
        return event

    def listed(
        self, rows: Iterable, *, what: str, terms: str = "", people: Iterable = ()
    ) -> AuditEvent:
        """Log that the signed-in user was shown a list (or search results) of ``rows`` (model
        instances), with the search ``terms`` they typed: one event per list, naming every
        record shown, and ``people`` (the victims and suspects it names), so each record's and
        each person's history finds the lists they appeared on."""
        rows = list(rows)
        references = [reference(row) for row in rows]
        references += [reference(person) for person in people if person is not None]
        types = {describe(row)[0] for row in rows}
        event = record(
            actor=self._request.user,
            action=AuditEvent.Action.CONSULTATION,
            record_type=types.pop() if len(types) == 1 else "",
            label=f"{what}: {len(rows)} shown",
            records=references,
            search_terms=terms,
            request=self._request,
        )
        self.consultations.append(event)
        return event

    def downloaded(self, obj, *, justification: str) -> AuditEvent:
        """Log a download (a PDF, CSV or calendar file) the user makes for their own work: the
        recipient is their agency, or, without one, themselves."""
        recipient = download_recipient(self._request.user)
        return self.disclosed(obj, recipient=recipient, justification=justification)

    def disclosed(self, obj, *, recipient: str, justification: str = "") -> AuditEvent:
        """Log an export, print, PDF or share of ``obj`` to ``recipient``."""
        return record(
            actor=self._request.user,
            action=AuditEvent.Action.DISCLOSURE,
            obj=obj,
            recipient=recipient,
            justification=justification,
            request=self._request,
        )


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.audit = RequestAudit(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ConsultationStopped):
            return exception.response
        return None
