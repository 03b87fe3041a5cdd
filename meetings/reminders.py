"""Reminders of overdue meeting actions, to the people who own them.

``send_action_reminders`` runs daily from beat (see CELERY_BEAT_SCHEDULE). Every action still open
or in progress whose due date has passed gets one ``ActionReminder`` row per due date, inserted
with ON CONFLICT DO NOTHING on the unique (action, due_on): running the job twice sends nothing
twice, and an action given a new due date that then passes gets a reminder of its own.

Only the rows this run inserted are emailed: to the action's owner, or, when the action names no
person, to the active members of the owning agency who have an email address. The email holds the
action's reference, its due date and a link, never a name, an address or anything of the case:
email leaves the system, and the link asks the reader to sign in.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from stalking_clinic.accounts.models import User
from stalking_clinic.locks import Lock, try_hold

from .models import Action, ActionReminder

logger = logging.getLogger(__name__)

OPEN_STATUSES = [Action.Status.OPEN.value, Action.Status.IN_PROGRESS.value]


def send_action_reminders(today: datetime.date | None = None) -> int:
    """Insert the reminders of actions overdue on ``today`` (default: the local date) and email
    the new ones; return how many emails were sent.

    A session-level advisory lock keeps two workers from running it at once: the second stops
    at once and leaves the work to the first.
    """
    today = today or timezone.localdate()
    with try_hold(Lock.ACTION_REMINDERS) as held:
        if not held:
            logger.info("Action reminders already running elsewhere; skipped")
            return 0
        new = _insert(today)
        sent = _email(new)
    logger.info("Action reminders: %s new, %s emails sent", len(new), sent)
    return sent


def _insert(today: datetime.date) -> list[tuple[int, datetime.date]]:
    """One statement: a reminder row for each overdue action and its current due date that has
    none yet. Returns the (action id, due date) of the rows inserted now, and only those."""
    reminders = ActionReminder._meta.db_table
    actions = Action._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {reminders} (action_id, due_on, sent_at)
            SELECT a.id, a.due_on, %s FROM {actions} a
            WHERE a.status = ANY(%s) AND a.due_on < %s
            ON CONFLICT (action_id, due_on) DO NOTHING
            RETURNING action_id, due_on
            """,  # noqa: S608 - the table names are the models', the values are parameters
            [timezone.now(), OPEN_STATUSES, today],
        )
        return cursor.fetchall()


def _recipients(action_ids: list[int]) -> dict[int, list[str]]:
    """The email addresses to remind, per action: its owner, else its agency's active members."""
    rows = Action.objects.filter(pk__in=action_ids).values_list(
        "pk", "owner_agency_id", "owner_id", "owner__email", "owner__is_active"
    )
    by_action: dict[int, list[str]] = {}
    agency_of: dict[int, int] = {}
    for pk, agency_id, owner_id, email, active in rows:
        if owner_id is not None:
            by_action[pk] = [email] if active and email else []
        else:
            agency_of[pk] = agency_id
    if agency_of:
        members: dict[int, list[str]] = defaultdict(list)
        for agency_id, email in (
            User.objects.filter(agency_id__in=set(agency_of.values()), is_active=True)
            .exclude(email="")
            .order_by("pk")
            .values_list("agency_id", "email")
        ):
            members[agency_id].append(email)
        for pk, agency_id in agency_of.items():
            by_action[pk] = members[agency_id]
    return by_action


def _email(new: list[tuple[int, datetime.date]]) -> int:
    """Email each new reminder. The row records that the reminder fell due: a failed send is
    logged, not retried (the action stays overdue, in red, on its owners' lists and home page)."""
    if not new:
        return 0
    recipients = _recipients([action_id for action_id, _ in new])
    sent = 0
    for action_id, due_on in new:
        reference = Action(pk=action_id).reference
        addresses = recipients.get(action_id, [])
        if not addresses:
            logger.warning("Action reminder for %s: nobody to email", reference)
            continue
        url = settings.SITE_URL + reverse("meetings:action_detail", args=[action_id])
        body = (
            f"Action {reference} was due on {date_format(due_on, 'l j F Y')} and is not "
            f"marked as done.\n\nSign in to update it:\n{url}\n"
        )
        # One message per address: an agency's members do not see each other's addresses.
        for address in addresses:
            try:
                send_mail(f"{reference}: action overdue", body, None, [address])
            except OSError:
                logger.exception("Action reminder for %s could not be emailed", reference)
                continue
            sent += 1
    return sent
