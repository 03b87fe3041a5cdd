"""SPO applications: the lists, the application page, starting an application, changing its details
and moving its stage.

Who may use these views:
- ``index`` and every change: the solicitor, coordinator and tactical lead (``Perm.SPO``).
- ``orders`` and ``application_detail``: also the officer in the case and a partner agency the
  case's orders were shared with, read only (``Perm.SPO_ORDERS_VIEW`` and ``spo.access``).
Anyone who may not know an application exists gets 404; a read-only viewer trying a change, 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone

from referrals.access import get_case_for_user
from stalking_clinic.access import POSTS, Perm, require
from stalking_clinic.service_forms import save_through_service

from ..access import get_application_for_user, get_order_for_user
from ..forms.applications import (
    ApplicationEditForm,
    ApplicationFilterForm,
    ApplicationStartForm,
    FollowOnForm,
    StageMoveForm,
)
from ..forms.conditions import ConditionAddForm
from ..models import Application
from ..selectors.applications import (
    application_page,
    applications_filtered,
    applications_with_orders,
)
from ..services import applications as services
from .pages import change_page, form_page, to_application

LIST_LIMIT = 200


@require(Perm.SPO, shows_personal_data=True)
def index(request):
    filters = ApplicationFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    applications = applications_filtered(
        request.user,
        stage=data.get("stage", ""),
        kind=data.get("kind", ""),
        court=data.get("court", ""),
        mine=data.get("mine", False),
    )
    shown = list(applications[:LIST_LIMIT])
    request.audit.listed(
        shown, what="Protection order applications", people=[a.defendant for a in shown]
    )
    return render(
        request,
        "spo/index.html",
        {"filters": filters, "applications": shown, "limit": LIST_LIMIT},
    )


@require(Perm.SPO_ORDERS_VIEW, shows_personal_data=True)
def orders(request):
    rows = list(applications_with_orders(request.user)[:LIST_LIMIT])
    request.audit.listed(rows, what="Protection orders", people=[a.defendant for a in rows])
    return render(request, "spo/orders.html", {"applications": rows, "limit": LIST_LIMIT})


def _started(request, application):
    messages.success(request, f"Application {application.reference} started.")
    return to_application(application)


@require(Perm.SPO, shows_personal_data=True, methods=POSTS)
def application_new(request, case_pk):
    case = get_case_for_user(request.user, case_pk)
    form = ApplicationStartForm(
        request.POST or None, case=case, initial=ApplicationStartForm.initial_for(case)
    )
    outcome = save_through_service(
        request,
        form,
        services.application_start,
        case=case,
        by=request.user,
        kind=Application.Kind.ORDER,
        order=None,
        applicant=Application.Applicant.POLICE,
    )
    if outcome.saved:
        return _started(request, outcome.result)
    request.audit.consulted(case)
    return render(
        request,
        "spo/application_new.html",
        {"case": case, "form": outcome.form, "title": "Start an SPO application"},
    )


@require(Perm.SPO, shows_personal_data=True, methods=POSTS)
def application_follow_on(request, order_pk):
    order = get_order_for_user(request.user, order_pk, write=True)
    application = order.application
    form = FollowOnForm(
        request.POST or None,
        case=application.case,
        initial=FollowOnForm.initial_for(application),
    )
    outcome = save_through_service(
        request,
        form,
        services.application_start,
        case=application.case,
        by=request.user,
        order=order,
    )
    if outcome.saved:
        return _started(request, outcome.result)
    return form_page(
        request,
        application,
        outcome.form,
        title="Apply to vary, renew or discharge the order, or appeal",
        intro=f"Concerning the {order.get_kind_display().lower()} made on "
        f"{order.made_on:%-d %B %Y}.",
    )


@require(Perm.SPO_ORDERS_VIEW, shows_personal_data=True)
def application_detail(request, pk):
    application = get_application_for_user(request.user, pk)
    condition_form = ConditionAddForm()
    condition_form.helper.form_action = reverse("spo:condition_add", args=[application.pk])
    context = {
        **application_page(application, user=request.user, today=timezone.localdate()),
        "condition_form": condition_form,
    }
    request.audit.consulted(application)
    return render(request, "spo/application_detail.html", context)


@require(Perm.SPO, shows_personal_data=True, methods=POSTS)
def application_edit(request, pk):
    application = get_application_for_user(request.user, pk, write=True)
    form = ApplicationEditForm(
        request.POST or None,
        application=application,
        initial=ApplicationEditForm.initial_for(application),
    )
    return change_page(
        request,
        application,
        form,
        services.application_update,
        application=application,
        record=application,
        saved_now_template="spo/includes/saved_application.html",
        done="Application saved.",
        anchor="#tests",
        title="Change the application",
        intro="The court must be satisfied of all three tests in section 1(1) of the Stalking "
        "Protection Act 2019.",
    )


@require(Perm.SPO, shows_personal_data=True, methods=POSTS)
def application_move(request, pk):
    application = get_application_for_user(request.user, pk, write=True)
    allowed = services.ALLOWED_MOVES.get(application.stage, frozenset())
    form = StageMoveForm(
        request.POST or None,
        application=application,
        allowed=allowed,
        initial={"version": application.version},
    )
    return change_page(
        request,
        application,
        form,
        services.application_move,
        application=application,
        record=application,
        done=lambda _: f"Application moved to “{application.get_stage_display()}”.",
        title="Move the application to another stage",
        intro=f"It is now at “{application.get_stage_display()}”."
        if allowed
        else "The application is decided: it cannot move again.",
    )


urlpatterns = [
    path("", index, name="index"),
    path("orders/", orders, name="orders"),
    path("cases/<int:case_pk>/new/", application_new, name="application_new"),
    path("orders/<int:order_pk>/follow-on/", application_follow_on, name="application_follow_on"),
    path("applications/<int:pk>/", application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", application_edit, name="application_edit"),
    path("applications/<int:pk>/stage/", application_move, name="application_move"),
]
