"""The training area's front page: where each user starts, different per role.

- an officer or champion (a user whose collar number is on the officer list): their next
  bookings;
- a supervisor: how many of their team need booking;
- the coordinator and tactical lead: this week's sessions and their free places, sessions held
  whose attendance is not recorded, and the pages that run the programme; a trainer: their own
  sessions awaiting attendance;
- clinic staff: their CPD log.

Everyone in the training area (``Perm.TRAINING``) may use it. A fixed number of queries.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import path

from stalking_clinic.access import Perm, require

from ..selectors.home import front_page


@require(Perm.TRAINING)
def index(request):
    return render(request, "training/index.html", front_page(request.user))


urlpatterns = [path("", index, name="index")]
