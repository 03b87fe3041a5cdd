"""Making the reminders that are due, emailing them, and dismissing one.

``send_reminders`` is the beat job (``tasks.send_reminders``, hourly: see CELERY_BEAT_SCHEDULE).
Under one session-level advisory lock (``Lock.REMINDERS``: a second worker starting it meanwhile
does nothing) it asks every registered source what is due (``registry.due_at``), inserts in one
statement the reminders not made yet, and emails those waiting to go.

The rule for a failed send, the same for every kind:

- A reminder goes to its recipient's current address (an active user with one) or to its own
  address. One message per reminder, so nobody sees anyone else's address.
- A send that fails (``OSError``, which covers ``smtplib.SMTPException``, refused connections and
  timeouts) is logged by the reminder's id and reference, never its address, and tried again at
  a later run: ``RETRY_AFTER`` after the first failure, twice as long after each further one
  (1, 2, 4, 8 hours). After ``MAX_ATTEMPTS`` failed sends it is marked given up and logged as an
  error; nothing sends it again.
- A reminder sent is marked sent and is never sent again. The mark comes after the send: a crash
  between the two may send one twice, never none.
- A user with no address, or no longer active, is not a failed send: the reminder waits (pages
  still show it) and goes once they have one. One dismissed before it goes is not emailed. One
  with nobody to tell at all is logged, once, by reference, when it is made.

Email texts are templates, one per kind: ``templates/<app>/email/<name>.txt`` for the kind
``<app>.<name>``, with the partials ``subject`` and ``body``, rendered as plain text from the
reminder's stored context plus ``message``, ``link`` (the reminder's page) and ``site_url``.
"""

from __future__ import annotations

import datetime
import json
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F, Q
from django.template import Context, Engine
from django.utils import timezone

from stalking_clinic.locks import Lock, try_hold

from .models import Reminder
from .registry import Due, due_at

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_AFTER = datetime.timedelta(hours=1)


def send_reminders(*, now: datetime.datetime | None = None) -> int:
    """Make the reminders due at ``now`` (default: the current time) and email those waiting;
    return how many were emailed."""
    now = now or timezone.now()
    with try_hold(Lock.REMINDERS) as held:
        if not held:
            logger.info("Reminders already running elsewhere; skipped")
            return 0
        created = reminders_create(list(due_at(now)), now=now)
        sent = reminders_email(now=now)
    logger.info("Reminders: %s new, %s emailed", created, sent)
    return sent


def reminders_send_now(due: list[Due]) -> int:
    """Within the caller's transaction, make the reminders ``due`` (for something just done that
    someone must be told of: a case allocated to them) and, once the transaction commits, email
    what is waiting (the task ``email_reminders``) rather than at the next hourly run.

    The reminders are made with the act, so they exist if and only if it is saved; their source
    yields them too, so the hourly job makes them should this not have. A failed send is retried
    by the one rule above. Returns how many were new.
    """
    from . import tasks  # the tasks module imports this one

    created = reminders_create(due, now=timezone.now())
    if created:
        # robust: a broker that cannot be reached is logged, not the act's failure; the hourly
        # job emails the reminder instead.
        transaction.on_commit(tasks.email_reminders.delay, robust=True)
    return created


def reminders_email_waiting(*, now: datetime.datetime | None = None) -> int:
    """Email the reminders waiting to go, under the job's lock (``send_reminders`` without asking
    the sources): whatever the hourly job would email now. Nothing if the job is running (it
    emails them itself, or its next run does)."""
    with try_hold(Lock.REMINDERS) as held:
        if not held:
            logger.info("Reminders already running elsewhere; emailing skipped")
            return 0
        return reminders_email(now=now or timezone.now())


def reminders_create(due: list[Due], *, now: datetime.datetime) -> int:
    """Insert the reminders that do not exist yet, in one statement; return how many were new.

    ON CONFLICT DO NOTHING on the unique (kind, key, recipient, email), not a read then a write:
    a reminder already made (even sent or dismissed) is never made again.
    """
    if not due:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Reminder._meta.db_table}
                (kind, key, recipient_id, email, event_at, message, url, context, created_at,
                 attempts)
            SELECT kind, key, recipient_id, email, event_at, message, url, context, %s, 0
            FROM unnest(%s::varchar[], %s::varchar[], %s::bigint[], %s::varchar[],
                        %s::timestamptz[], %s::varchar[], %s::varchar[], %s::jsonb[])
                 AS r (kind, key, recipient_id, email, event_at, message, url, context)
            ON CONFLICT ON CONSTRAINT reminder_once_per_event DO NOTHING
            RETURNING id, kind, recipient_id, email, context ->> 'reference'
            """,  # noqa: S608 - the table name is the model's, the values are parameters
            [
                now,
                [d.kind for d in due],
                [d.key for d in due],
                [d.recipient_id for d in due],
                [d.email for d in due],
                [d.event_at for d in due],
                [d.message[:200] for d in due],
                [d.url[:200] for d in due],
                [json.dumps(d.context, cls=DjangoJSONEncoder) for d in due],
            ],
        )
        new = cursor.fetchall()
    for reminder_id, kind, recipient_id, email, reference in new:
        if recipient_id is None and not email:
            logger.warning("Reminder %s (%s, %s): nobody to email", reminder_id, kind, reference)
    return len(new)


def _waiting(now: datetime.datetime):
    """Reminders to email at ``now``: not sent, not given up, not dismissed, not waiting out a
    backoff, and with an address to send to."""
    own_address = ~Q(email="") & (Q(recipient__isnull=True) | Q(recipient__is_active=True))
    users_address = Q(email="", recipient__is_active=True) & ~Q(recipient__email="")
    return (
        Reminder.objects.filter(
            emailed_at__isnull=True, gave_up_at__isnull=True, dismissed_at__isnull=True
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(own_address | users_address)
        .select_related("recipient")
        .order_by("pk")
    )


def reminders_email(*, now: datetime.datetime) -> int:
    """Email every reminder waiting to go, under the rule above; return how many were sent."""
    sent = 0
    for reminder in _waiting(now):
        subject, body = render_email(reminder)
        address = reminder.email or reminder.recipient.email
        try:
            send_mail(subject, body, None, [address])
        except OSError as error:  # smtplib.SMTPException is an OSError
            _send_failed(reminder, now=now, error=error)
            continue
        Reminder.objects.filter(pk=reminder.pk, emailed_at__isnull=True).update(
            emailed_at=now, attempts=F("attempts") + 1, next_attempt_at=None
        )
        sent += 1
    return sent


def _send_failed(reminder: Reminder, *, now: datetime.datetime, error: OSError) -> None:
    """Count the failed send; try again after the backoff, or give up after the last attempt.
    The log names the reminder and the error's type only: an SMTP error's text can hold the
    address."""
    attempts = reminder.attempts + 1
    reference = reminder.context.get("reference", "")
    unsent = Reminder.objects.filter(pk=reminder.pk, emailed_at__isnull=True)
    if attempts >= MAX_ATTEMPTS:
        unsent.update(attempts=attempts, next_attempt_at=None, gave_up_at=now)
        logger.error(
            "Reminder %s (%s, %s) not emailed after %s attempts (%s); given up",
            reminder.pk, reminder.kind, reference, attempts, type(error).__name__,
        )  # fmt: skip
        return
    retry_at = now + RETRY_AFTER * 2 ** (attempts - 1)
    unsent.update(attempts=attempts, next_attempt_at=retry_at)
    logger.warning(
        "Reminder %s (%s, %s) could not be emailed (%s); attempt %s of %s, next after %s",
        reminder.pk, reminder.kind, reference, type(error).__name__, attempts, MAX_ATTEMPTS,
        retry_at.isoformat(timespec="minutes"),
    )  # fmt: skip


def render_email(reminder: Reminder) -> tuple[str, str]:
    """The subject and body of ``reminder``'s email, from its kind's template.

    Plain text, so nothing is HTML-escaped; the subject is made one line.
    """
    app, _, name = reminder.kind.partition(".")
    template = f"{app}/email/{name}.txt"
    context = Context(
        {
            **reminder.template_context(),
            "kind": reminder.kind,
            "message": reminder.message,
            "link": settings.SITE_URL + reminder.url,
            "site_url": settings.SITE_URL,
        },
        autoescape=False,
    )
    engine = Engine.get_default()
    subject = engine.get_template(f"{template}#subject").render(context)
    body = engine.get_template(f"{template}#body").render(context)
    return " ".join(subject.split()), body.strip() + "\n"


def reminders_dismiss(*, kind: str, keys: list[str], recipient) -> int:
    """Dismiss ``recipient``'s reminders of ``kind`` with these ``keys``: what they were to be told
    of is done (an advocate opened the case allocated to them), so one not emailed yet is not."""
    return Reminder.objects.filter(
        kind=kind, key__in=keys, recipient=recipient, dismissed_at__isnull=True
    ).update(dismissed_at=timezone.now())


def reminder_dismiss(*, reminder_id: int, by, namespace: str) -> bool:
    """Dismiss one of ``by``'s own reminders from ``namespace`` (again is harmless); False if
    there is no such reminder of theirs."""
    own = Reminder.objects.filter(pk=reminder_id, recipient=by, kind__startswith=f"{namespace}.")
    own.filter(dismissed_at__isnull=True).update(dismissed_at=timezone.now())
    return own.exists()
