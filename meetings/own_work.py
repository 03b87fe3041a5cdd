"""What meetings add to a user's own work (``referrals.own_work``): for the roles that see every
case, a case on the agenda of a meeting not yet held, or held in the last ``RECENT_DAYS`` days, is
their work (they prepare for it, or follow up its actions), so opening it asks no reason."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q

from referrals.own_work import own_work

from .models import AgendaItem, Meeting

RECENT_DAYS = 90


@own_work
def on_an_agenda(user, now: datetime.datetime) -> Q:
    since = now - datetime.timedelta(days=RECENT_DAYS)
    return Q(
        Exists(
            AgendaItem.objects.filter(case=OuterRef("pk"))
            .exclude(meeting__status=Meeting.Status.CANCELLED)
            .filter(Q(meeting__status=Meeting.Status.PLANNED) | Q(meeting__starts_at__gte=since))
        )
    )
