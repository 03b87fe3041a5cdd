"""What protection orders add to a user's own work (``referrals.own_work``): for the solicitor,
every case with an SPO application (they prepare and bring them all); for anyone, the cases
with an application they are the solicitor or the officer in the case of."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q

from referrals.own_work import own_work
from stalking_clinic.accounts.models import Role

from .models import Application


@own_work
def spo_applications(user, now: datetime.datetime) -> Q:
    applications = Application.objects.filter(case=OuterRef("pk"))
    if Role.SOLICITOR not in user.roles:
        applications = applications.filter(Q(solicitor=user) | Q(officer_in_case=user))
    return Q(Exists(applications))
