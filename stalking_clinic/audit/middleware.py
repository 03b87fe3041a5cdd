"""Gives every request ``request.audit``, the one way views log what a user consulted."""

from __future__ import annotations

from .models import AuditEvent
from .services import download_recipient, record


class RequestAudit:
    def __init__(self, request):
        self._request = request
        self.consultations: list[AuditEvent] = []

    def consulted(self, obj, *, justification: str = "") -> AuditEvent:
        """Log that the signed-in user viewed ``obj`` (a page showing a person's details)."""
        event = record(
            actor=self._request.user,
            action=AuditEvent.Action.CONSULTATION,
            obj=obj,
            justification=justification,
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
