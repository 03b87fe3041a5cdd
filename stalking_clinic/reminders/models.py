"""The one ``Reminder`` model: a reminder of one event for one person, made once, emailed once.

Every app's reminders are rows here (``registry.py`` says how an app adds its own); nothing in
this module knows the apps. A row names what it concerns only by kind, key, a short message, a
link and the context its email template needs: references, dates, places and links, never the
name or address of a victim or suspect.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Reminder(models.Model):
    """One reminder of one event for one recipient.

    Unique per (kind, key, recipient, email), so the beat job run twice creates nothing twice;
    the key holds the date the event is on ("hearing:12:2026-06-15T10:00"), so a moved hearing, a
    new due date or a new start time gets a reminder of its own. A reminder already made is never
    made again, even once dismissed.

    The recipient is a user (their current address is used when emailing) or, for someone with no
    account (a trainee on the officer list), an email address. A row with neither records that a
    reminder fell due with nobody to tell it to: it is logged once, when made, and never emailed.
    """

    kind = models.CharField(
        max_length=40, help_text='The app and what is due, e.g. "spo.hearing_day".'
    )
    key = models.CharField(max_length=80, help_text="The event and the date it is on.")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    email = models.EmailField(blank=True, help_text="The address, for someone with no account.")
    event_at = models.DateTimeField(help_text="When the event happens or happened.")
    message = models.CharField(max_length=200, help_text="What pages show.")
    url = models.CharField(max_length=200, help_text="The page it concerns (a path).")
    # What the email template needs beyond the message and the link. Values named *_at are
    # datetimes and *_on dates (stored as ISO text, given back to the template as such).
    context = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(default=timezone.now)
    # Emailing: see the retry rule in services.py.
    emailed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Sends tried.")
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="After a failed send: not tried again before this."
    )
    gave_up_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event_at", "id"]
        constraints = [
            # NULLS NOT DISTINCT: a reminder to an address (no user) or to nobody is made once too.
            models.UniqueConstraint(
                fields=["kind", "key", "recipient", "email"],
                name="reminder_once_per_event",
                nulls_distinct=False,
            ),
        ]
        indexes = [
            # The job's "what is left to email", small however many have been sent.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(emailed_at__isnull=True, gave_up_at__isnull=True),
                name="reminder_to_email_idx",
            ),
            # A user's open reminders (home page, calendar).
            models.Index(
                fields=["recipient", "event_at"],
                condition=Q(dismissed_at__isnull=True),
                name="reminder_open_idx",
            ),
        ]

    def __str__(self):
        return self.message

    @property
    def namespace(self) -> str:
        """The app the reminder comes from: "spo" for "spo.hearing_day"."""
        return self.kind.partition(".")[0]

    def template_context(self) -> dict:
        """The stored context with its dates and times as ``date`` and ``datetime`` again."""
        context = {}
        for name, value in self.context.items():
            if isinstance(value, str) and value and name.endswith("_at"):
                value = datetime.datetime.fromisoformat(value)
            elif isinstance(value, str) and value and name.endswith("_on"):
                value = datetime.date.fromisoformat(value)
            context[name] = value
        return context
