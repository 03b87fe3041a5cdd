"""Breaches of an order (s.8): recording one, and its outcome.

Changes only, so ``Perm.SPO`` for every view here (who gets 403 or 404: ``spo.views``).
"""

from __future__ import annotations

from django.urls import path

from stalking_clinic.access import POSTS, Perm, require

from ..access import get_breach_for_user, get_order_for_user
from ..forms.breaches import BreachForm, BreachOutcomeForm
from ..services import breaches as services
from .pages import change_page


@require(Perm.SPO, shows_personal_data=True, methods=POSTS)
def breach_new(request, pk):
    order = get_order_for_user(request.user, pk, write=True)
    return change_page(
        request,
        order.application,
        BreachForm(request.POST or None),
        services.breach_record,
        order=order,
        done="Breach recorded.",
        anchor="#breaches",
        title=f"Record a breach of the {order.get_kind_display().lower()}",
        intro="Breaching an order without reasonable excuse is an offence (s.8).",
    )


@require(Perm.SPO, shows_personal_data=True, methods=POSTS)
def breach_outcome(request, pk):
    breach = get_breach_for_user(request.user, pk, write=True)
    return change_page(
        request,
        breach.order.application,
        BreachOutcomeForm(request.POST or None, initial=BreachOutcomeForm.initial_for(breach)),
        services.breach_outcome_record,
        breach=breach,
        record=breach,
        done="Outcome recorded.",
        anchor="#breaches",
        title=f"Outcome of the breach on {breach.occurred_on:%-d %B %Y}",
    )


urlpatterns = [
    path("orders/<int:pk>/breaches/new/", breach_new, name="breach_new"),
    path("breaches/<int:pk>/outcome/", breach_outcome, name="breach_outcome"),
]
