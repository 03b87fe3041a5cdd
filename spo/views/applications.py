"""SPO applications: the lists, the application page and every change the solicitor makes to it.

Who may use these views:
- ``index`` and every change: the solicitor, coordinator and tactical lead (``Perm.SPO``).
- ``orders`` and ``application_detail``: also the officer in the case and a partner agency the
  case's orders were shared with, read only (``Perm.SPO_ORDERS_VIEW`` and ``spo.access``).
Anyone who may not know an application exists gets 404; a read-only viewer trying a change, 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from referrals.access import get_case_for_user
from stalking_clinic.access import Perm, can, require
from stalking_clinic.service_forms import error_message, save_through_service
from stalking_clinic.services import ServiceError

from ..access import applications_visible_to, get_application_for_user
from ..forms.applications import (
    ApplicationEditForm,
    ApplicationFilterForm,
    ApplicationStartForm,
    FollowOnForm,
    StageMoveForm,
)
from ..forms.breaches import BreachForm, BreachOutcomeForm
from ..forms.conditions import ConditionAddForm, ConditionEditForm
from ..forms.hearings import HearingEditForm, HearingForm
from ..forms.orders import NotificationAddForm, NotificationRecordForm, OrderForm, OrderServedForm
from ..models import (
    Application,
    Breach,
    Condition,
    Hearing,
    Notification,
    Order,
)
from ..services import applications as application_services
from ..services import breaches as breach_services
from ..services import conditions as condition_services
from ..services import hearings as hearing_services
from ..services import notifications as notification_services
from ..services import orders as order_services

LIST_LIMIT = 200


def _next_hearing():
    return Subquery(
        Hearing.objects.filter(application=OuterRef("pk"), starts_at__gte=timezone.now())
        .order_by("starts_at")
        .values("starts_at")[:1]
    )


@require(Perm.SPO)
def index(request):
    filters = ApplicationFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    applications = (
        applications_visible_to(request.user)
        .select_related("case", "defendant", "solicitor")
        .annotate(next_hearing=_next_hearing())
    )
    if data.get("stage"):
        applications = applications.filter(stage=data["stage"])
    if data.get("kind"):
        applications = applications.filter(kind=data["kind"])
    if data.get("court"):
        applications = applications.filter(court__icontains=data["court"])
    if data.get("mine"):
        applications = applications.filter(
            Q(solicitor=request.user) | Q(officer_in_case=request.user)
        )
    rows = list(applications[:LIST_LIMIT])
    return render(
        request,
        "spo/index.html",
        {"filters": filters, "applications": rows, "limit": LIST_LIMIT},
    )


@require(Perm.SPO_ORDERS_VIEW)
def orders(request):
    applications = (
        applications_visible_to(request.user)
        .select_related("case", "defendant")
        .annotate(next_hearing=_next_hearing())
        .prefetch_related("orders")
    )
    rows = list(applications[:LIST_LIMIT])
    return render(request, "spo/orders.html", {"applications": rows, "limit": LIST_LIMIT})


def _form_page(request, application, form, *, title, intro="", saved_now=None, extra=None):
    request.audit.consulted(application)
    context = {
        "application": application,
        "form": form,
        "title": title,
        "intro": intro,
        "saved_now": saved_now,
    }
    context.update(extra or {})
    return render(request, "spo/form.html", context)


def _detail(application, anchor=""):
    return redirect(reverse("spo:application_detail", args=[application.pk]) + anchor)


def _change_page(
    request,
    application,
    form,
    service,
    /,
    *,
    done,
    anchor="",
    title,
    intro="",
    record=None,
    saved_now_template="",
    **given,
):
    """A page that changes ``application`` (or a part of it) through ``service``: on a saved
    POST, the message ``done`` (text, or a function of what the service returned) and back to
    the application at ``anchor``; otherwise the form again. After a refused stale save of
    ``record``, the record as it is now is shown above the form (``saved_now_template``)."""
    outcome = save_through_service(request, form, service, record=record, by=request.user, **given)
    if outcome.saved:
        messages.success(request, done(outcome.result) if callable(done) else done)
        return _detail(application, anchor)
    conflict = request.method == "POST" and record is not None and outcome.form.non_field_errors()
    return _form_page(
        request,
        application,
        outcome.form,
        title=title,
        intro=intro,
        saved_now=record if conflict and saved_now_template else None,
        extra={"saved_now_template": saved_now_template},
    )


def _started(request, application):
    messages.success(request, f"Application {application.reference} started.")
    return _detail(application)


@require(Perm.SPO, shows_personal_data=True)
def application_new(request, case_pk):
    case = get_case_for_user(request.user, case_pk)
    form = ApplicationStartForm(
        request.POST or None,
        case=case,
        initial={"protected_people": [case.victim_id], "court": ""},
    )
    outcome = save_through_service(
        request,
        form,
        application_services.application_start,
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


@require(Perm.SPO, shows_personal_data=True)
def application_follow_on(request, order_pk):
    order = get_object_or_404(Order, pk=order_pk)
    application = get_application_for_user(request.user, order.application_id, write=True)
    form = FollowOnForm(
        request.POST or None,
        case=application.case,
        initial={
            "defendant": application.defendant_id,
            "protected_people": [p.pk for p in application.protected_people.all()],
            "court": application.court,
            "officer_in_case": application.officer_in_case_id,
        },
    )
    outcome = save_through_service(
        request,
        form,
        application_services.application_start,
        case=application.case,
        by=request.user,
        order=order,
    )
    if outcome.saved:
        return _started(request, outcome.result)
    return _form_page(
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
    today = timezone.localdate()
    orders = list(
        application.orders.prefetch_related(
            "notifications", Prefetch("breaches", queryset=Breach.objects.order_by("occurred_on"))
        )
    )
    for order in orders:
        order.in_force = order.in_force_on(today)
        for notification in order.notifications.all():
            notification.overdue = notification.received_on is None and notification.due_on < today
    conditions = list(application.conditions.all())
    condition_form = ConditionAddForm()
    condition_form.helper.form_action = reverse("spo:condition_add", args=[application.pk])
    context = {
        "application": application,
        "can_change": can(request.user, Perm.SPO),
        "protected_people": list(application.protected_people.all()),
        "stage_changes": list(application.stage_changes.select_related("by")),
        "prohibitions": [c for c in conditions if c.kind == Condition.Kind.PROHIBITION],
        "requirements": [c for c in conditions if c.kind == Condition.Kind.REQUIREMENT],
        "orders": orders,
        "hearings": list(application.hearings.all()),
        "breaches": [breach for order in orders for breach in order.breaches.all()],
        "later_applications": list(
            Application.objects.filter(order__application=application).order_by("created_at")
        ),
        "allowed_moves": application_services.ALLOWED_MOVES.get(application.stage, frozenset()),
        "condition_form": condition_form,
        "now": timezone.now(),
    }
    request.audit.consulted(application)
    return render(request, "spo/application_detail.html", context)


@require(Perm.SPO, shows_personal_data=True)
def application_edit(request, pk):
    application = get_application_for_user(request.user, pk, write=True)
    form = ApplicationEditForm(
        request.POST or None,
        application=application,
        initial=ApplicationEditForm.initial_for(application),
    )
    return _change_page(
        request,
        application,
        form,
        application_services.application_update,
        application=application,
        record=application,
        saved_now_template="spo/includes/saved_application.html",
        done="Application saved.",
        anchor="#tests",
        title="Change the application",
        intro="The court must be satisfied of all three tests in section 1(1) of the Stalking "
        "Protection Act 2019.",
    )


@require(Perm.SPO, shows_personal_data=True)
def application_move(request, pk):
    application = get_application_for_user(request.user, pk, write=True)
    allowed = application_services.ALLOWED_MOVES.get(application.stage, frozenset())
    form = StageMoveForm(
        request.POST or None,
        application=application,
        allowed=allowed,
        initial={"version": application.version},
    )
    return _change_page(
        request,
        application,
        form,
        application_services.application_move,
        application=application,
        record=application,
        done=lambda _: f"Application moved to “{application.get_stage_display()}”.",
        title="Move the application to another stage",
        intro=f"It is now at “{application.get_stage_display()}”."
        if allowed
        else "The application is decided: it cannot move again.",
    )


@require(Perm.SPO, shows_personal_data=True)
def condition_add(request, pk):
    application = get_application_for_user(request.user, pk, write=True)
    return _change_page(
        request,
        application,
        ConditionAddForm(request.POST or None),
        condition_services.condition_add,
        application=application,
        done=lambda condition: f"{condition.get_kind_display()} added.",
        anchor="#conditions",
        title="Add a prohibition or requirement",
    )


def _condition_for(request, pk) -> Condition:
    condition = get_object_or_404(Condition, pk=pk)
    condition.application = get_application_for_user(
        request.user, condition.application_id, write=True
    )
    return condition


@require(Perm.SPO, shows_personal_data=True)
def condition_edit(request, pk):
    condition = _condition_for(request, pk)
    form = ConditionEditForm(
        request.POST or None, initial={"text": condition.text, "version": condition.version}
    )
    return _change_page(
        request,
        condition.application,
        form,
        condition_services.condition_update,
        condition=condition,
        record=condition,
        saved_now_template="spo/includes/saved_condition.html",
        done=f"{condition.get_kind_display()} changed.",
        anchor="#conditions",
        title=f"Change a {condition.get_kind_display().lower()}",
    )


@require(Perm.SPO)
@require_POST
def condition_remove(request, pk):
    condition = _condition_for(request, pk)
    try:
        condition_services.condition_remove(condition=condition, by=request.user)
    except ServiceError as error:
        messages.error(request, error_message(error))
    else:
        messages.success(request, f"{condition.get_kind_display()} removed.")
    return _detail(condition.application, "#conditions")


@require(Perm.SPO)
@require_POST
def condition_move(request, pk):
    condition = _condition_for(request, pk)
    direction = request.POST.get("direction")
    if direction in {"up", "down"}:
        try:
            condition_services.condition_move(
                condition=condition, by=request.user, direction=direction
            )
        except ServiceError as error:
            messages.error(request, error_message(error))
    return _detail(condition.application, f"#condition-{condition.pk}")


@require(Perm.SPO, shows_personal_data=True)
def order_new(request, pk):
    application = get_application_for_user(request.user, pk, write=True)
    return _change_page(
        request,
        application,
        OrderForm(request.POST or None),
        order_services.order_record,
        application=application,
        done=lambda order: f"{order.get_kind_display()} recorded.",
        anchor="#orders",
        title="Record an order the court made",
        intro="An interim order (s.5) lasts until the main application is decided or the date "
        "the court sets. A full order lasts at least 2 years, or until further order (s.3).",
    )


def _order_for(request, pk) -> Order:
    order = get_object_or_404(Order, pk=pk)
    order.application = get_application_for_user(request.user, order.application_id, write=True)
    return order


@require(Perm.SPO, shows_personal_data=True)
def order_served(request, pk):
    order = _order_for(request, pk)
    return _change_page(
        request,
        order.application,
        OrderServedForm(request.POST or None, initial={"served_on": order.served_on}),
        order_services.order_mark_served,
        order=order,
        done="Service recorded.",
        anchor="#orders",
        title=f"Record service of the {order.get_kind_display()}",
    )


@require(Perm.SPO, shows_personal_data=True)
def notification_new(request, pk):
    order = _order_for(request, pk)
    return _change_page(
        request,
        order.application,
        NotificationAddForm(request.POST or None),
        notification_services.notification_add,
        order=order,
        done="Notification added.",
        anchor="#orders",
        title="Add a notification the defendant must make",
        intro="The defendant must notify the police in person within 3 days (s.9, s.10).",
    )


@require(Perm.SPO, shows_personal_data=True)
def notification_record(request, pk):
    notification = get_object_or_404(Notification.objects.select_related("order"), pk=pk)
    application = get_application_for_user(
        request.user, notification.order.application_id, write=True
    )
    form = NotificationRecordForm(
        request.POST or None, initial=NotificationRecordForm.initial_for(notification)
    )
    return _change_page(
        request,
        application,
        form,
        notification_services.notification_record,
        notification=notification,
        record=notification,
        done="Notification recorded.",
        anchor="#orders",
        title=f"{notification.get_kind_display()}: due {notification.due_on:%-d %B %Y}",
    )


@require(Perm.SPO, shows_personal_data=True)
def hearing_new(request, pk):
    application = get_application_for_user(request.user, pk, write=True)
    return _change_page(
        request,
        application,
        HearingForm(request.POST or None, initial={"court": application.court}),
        hearing_services.hearing_add,
        application=application,
        done="Hearing added.",
        anchor="#hearings",
        title="Add a hearing",
    )


@require(Perm.SPO, shows_personal_data=True)
def hearing_edit(request, pk):
    hearing = get_object_or_404(Hearing, pk=pk)
    application = get_application_for_user(request.user, hearing.application_id, write=True)
    return _change_page(
        request,
        application,
        HearingEditForm(request.POST or None, initial=HearingEditForm.initial_for(hearing)),
        hearing_services.hearing_update,
        hearing=hearing,
        record=hearing,
        done="Hearing saved.",
        anchor="#hearings",
        title="Change the hearing or record its outcome",
    )


@require(Perm.SPO, shows_personal_data=True)
def breach_new(request, pk):
    order = _order_for(request, pk)
    return _change_page(
        request,
        order.application,
        BreachForm(request.POST or None),
        breach_services.breach_record,
        order=order,
        done="Breach recorded.",
        anchor="#breaches",
        title=f"Record a breach of the {order.get_kind_display().lower()}",
        intro="Breaching an order without reasonable excuse is an offence (s.8).",
    )


@require(Perm.SPO, shows_personal_data=True)
def breach_outcome(request, pk):
    breach = get_object_or_404(Breach.objects.select_related("order"), pk=pk)
    application = get_application_for_user(request.user, breach.order.application_id, write=True)
    form = BreachOutcomeForm(
        request.POST or None,
        initial={
            "outcome": breach.outcome,
            "outcome_recorded_on": breach.outcome_recorded_on,
            "version": breach.version,
        },
    )
    return _change_page(
        request,
        application,
        form,
        breach_services.breach_outcome_record,
        breach=breach,
        record=breach,
        done="Outcome recorded.",
        anchor="#breaches",
        title=f"Outcome of the breach on {breach.occurred_on:%-d %B %Y}",
    )


urlpatterns = [
    path("", index, name="index"),
    path("orders/", orders, name="orders"),
    path("cases/<int:case_pk>/new/", application_new, name="application_new"),
    path("applications/<int:pk>/", application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", application_edit, name="application_edit"),
    path("applications/<int:pk>/stage/", application_move, name="application_move"),
    path("applications/<int:pk>/conditions/add/", condition_add, name="condition_add"),
    path("conditions/<int:pk>/edit/", condition_edit, name="condition_edit"),
    path("conditions/<int:pk>/remove/", condition_remove, name="condition_remove"),
    path("conditions/<int:pk>/move/", condition_move, name="condition_move"),
    path("applications/<int:pk>/orders/new/", order_new, name="order_new"),
    path("orders/<int:pk>/served/", order_served, name="order_served"),
    path("orders/<int:pk>/notifications/new/", notification_new, name="notification_new"),
    path("orders/<int:pk>/breaches/new/", breach_new, name="breach_new"),
    path("orders/<int:order_pk>/follow-on/", application_follow_on, name="application_follow_on"),
    path("notifications/<int:pk>/", notification_record, name="notification_record"),
    path("applications/<int:pk>/hearings/new/", hearing_new, name="hearing_new"),
    path("hearings/<int:pk>/edit/", hearing_edit, name="hearing_edit"),
    path("breaches/<int:pk>/outcome/", breach_outcome, name="breach_outcome"),
]
