"""Sending the training area's emails: after the transaction that caused them commits (nothing
is sent for a write that was rolled back), one message per address so that nobody learns who
else was told, and a failed send logged by the reference it was about, never by a name.

What each email says is written by the service that sends it (``bookings``, ``courses``).
"""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.db import transaction

logger = logging.getLogger(__name__)


def send_after_commit(subject: str, body: str, addresses: list[str], *, about: str) -> None:
    """Email ``subject`` and ``body`` to each of ``addresses`` once the current transaction
    commits. ``about``: the reference of the booking or session, for the log."""
    addresses = list(addresses)

    def send():
        for address in addresses:
            try:
                send_mail(subject, body, None, [address])
            except OSError:
                logger.exception("Training email about %s could not be sent", about)

    if addresses:
        transaction.on_commit(send)
