"""Reminders of overdue meeting actions, to the people who own them.

A source for the one reminders job (``stalking_clinic.reminders``), registered from
``MeetingsConfig.ready``. Every action still open or in progress whose due date has passed is
due a reminder, once per due date (the key holds it: an action given a new due date that then
passes is reminded again), to each of its recipients: the action's owner, or, when the action
names no person, each active member of the owning agency with an email address, one reminder
(and one message) each. With nobody to tell, the job logs it once, by the action's reference.

The email (``templates/meetings/email/action_overdue.txt``) holds the action's reference, its due
date and a link, never a name, an address or anything of the case: email leaves the system, and
the link asks the reader to sign in.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from stalking_clinic.accounts.models import User
from stalking_clinic.reminders.registry import Due, reminder_source

from .models import Action

KIND = "meetings.action_overdue"


@reminder_source
def reminders_due(now: datetime.datetime):
    """A reminder for each recipient of each action overdue at ``now``: two queries."""
    today = timezone.localdate(now)
    overdue = list(
        Action.objects.filter(status__in=Action.OPEN, due_on__lt=today)
        .order_by("pk")
        .values_list("pk", "due_on", "owner_agency_id", "owner_id", "owner__is_active",
                     "owner__email")
    )  # fmt: skip
    members = _members_of({agency for _, _, agency, owner, _, _ in overdue if owner is None})
    for pk, due_on, agency_id, owner_id, owner_active, owner_email in overdue:
        if owner_id is not None:
            recipients = [owner_id] if owner_active and owner_email else []
        else:
            recipients = members[agency_id]
        reference = Action(pk=pk).reference
        due = {
            "kind": KIND,
            "key": f"action:{pk}:{due_on:%Y-%m-%d}",
            "event_at": datetime.datetime.combine(
                due_on, datetime.time.min, timezone.get_current_timezone()
            ),
            "message": f"{reference}: action overdue, due {date_format(due_on, 'l j F Y')}",
            "url": reverse("meetings:action_detail", args=[pk]),
            "context": {"reference": reference, "due_on": due_on},
        }
        if not recipients:
            yield Due(**due)  # nobody to tell: the job logs it, once
        for user_id in recipients:
            yield Due(**due, recipient_id=user_id)


def _members_of(agency_ids: set[int]) -> dict[int, list[int]]:
    """The active members with an email address of each agency (one query, none if no agency)."""
    members: dict[int, list[int]] = defaultdict(list)
    if agency_ids:
        for agency_id, user_id in (
            User.objects.filter(agency_id__in=agency_ids, is_active=True)
            .exclude(email="")
            .order_by("pk")
            .values_list("agency_id", "pk")
        ):
            members[agency_id].append(user_id)
    return members
