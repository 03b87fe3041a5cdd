"""Meeting actions: "my actions", "my agency's actions", an action's page with its history and
update form, and creating an action from a case discussed at a meeting.

Who may use these views:
- the lists and the action page: clinic staff and partner agency members (``Perm.ACTIONS``); which
  actions each sees is ``meetings.access.actions_visible_to``: their own, their agency's on the
  cases they may see, and, for the coordinator and tactical lead, all. Anyone else gets 404 for
  an action; whoever sees an action may update it.
- creating an action: the coordinator and tactical lead (``Perm.MEETINGS_MANAGE``).

The lists show the case reference only, never a name: a partner sees of a case only what was
shared with it, and the reference says which case without saying anything about it.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import BooleanField, Case, Q, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone

from referrals.access import cases_visible_to
from stalking_clinic.access import Perm, can, require
from stalking_clinic.service_forms import save_through_service

from ..access import actions_visible_to, get_action_for_user, meetings_visible_to
from ..forms.actions import ActionFilterForm, ActionNewForm, ActionUpdateForm
from ..models import Action, AgendaItem
from ..services.actions import action_create, action_update

LIST_LIMIT = 200
OPEN_STATUSES = [Action.Status.OPEN, Action.Status.IN_PROGRESS]

# --- helpers -----------------------------------------------------------------------------------


def _save(request, form, call, *, record=None):
    # Until this area's views call save_through_service with their service directly.
    outcome = save_through_service(request, form, lambda **data: call(data), record=record)
    return outcome.saved, outcome.form


def _listed(actions, data, today):
    """The filtered list, overdue first, then open by due date, then closed; one query."""
    status = data.get("status")
    if status == "open":
        actions = actions.filter(status__in=OPEN_STATUSES)
    elif status == "overdue":
        actions = actions.filter(status__in=OPEN_STATUSES, due_on__lt=today)
    elif status == "done":
        actions = actions.filter(status=Action.Status.DONE)
    if data.get("due_before"):
        actions = actions.filter(due_on__lt=data["due_before"])
    if data.get("agency"):
        actions = actions.filter(owner_agency=data["agency"])
    open_ = Q(status__in=OPEN_STATUSES)
    actions = (
        actions.select_related("case", "owner_agency", "owner")
        .annotate(
            overdue=Case(
                When(open_ & Q(due_on__lt=today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            closed=Case(When(open_, then=Value(False)), default=Value(True)),
        )
        .order_by("-overdue", "closed", "due_on", "id")
    )
    return list(actions[:LIST_LIMIT])


def _list_page(request, actions, *, title, intro, show_agency, show_owner=True):
    # With no filter chosen, the list opens on what is still to do.
    filters = ActionFilterForm(request.GET or {"status": "open"}, show_agency=show_agency)
    data = filters.cleaned_data if filters.is_valid() else {}
    today = timezone.localdate()
    rows = _listed(actions, data, today) if actions is not None else []
    return render(
        request,
        "meetings/actions.html",
        {
            "title": title,
            "intro": intro,
            "filters": filters,
            "actions": rows,
            "limit": LIST_LIMIT,
            "show_agency": show_agency or actions is None,
            "show_owner": show_owner,
            "has_agency": actions is not None,
        },
    )


# --- views -------------------------------------------------------------------------------------


@require(Perm.ACTIONS)
def my_actions(request):
    return _list_page(
        request,
        actions_visible_to(request.user).filter(owner=request.user),
        title="My actions",
        intro="Actions agreed at meetings that you own.",
        show_agency=False,
        show_owner=False,
    )


@require(Perm.ACTIONS)
def agency_actions(request):
    user = request.user
    if can(user, Perm.MEETINGS_MANAGE):
        # The coordinator and tactical lead follow every agency's actions.
        return _list_page(
            request,
            actions_visible_to(user),
            title="Agencies' actions",
            intro="Every agency's actions, on every case. Filter by agency.",
            show_agency=True,
        )
    actions = (
        actions_visible_to(user).filter(owner_agency_id=user.agency_id) if user.agency_id else None
    )
    return _list_page(
        request,
        actions,
        title="My agency's actions",
        intro="Actions your agency owns on the cases shared with it. Responsibility for them "
        "stays with your agency: update them as they progress.",
        show_agency=False,
    )


@require(Perm.ACTIONS, shows_personal_data=True)
def action_detail(request, pk):
    action = get_action_for_user(request.user, pk)
    form = ActionUpdateForm(
        request.POST or None, initial={"status": action.status, "version": action.version}
    )

    def call(data):
        action_update(
            action=action,
            by=request.user,
            version=data["version"],
            status=data["status"],
            note=data["note"],
            due_on=data["due_on"],
        )

    saved, form = _save(request, form, call, record=action)
    if saved:
        messages.success(request, f"Update to {action.reference} saved.")
        return redirect("meetings:action_detail", pk=action.pk)
    request.audit.consulted(action)
    user = request.user
    meeting = action.agenda_item.meeting if action.agenda_item_id else None
    meeting_url = None
    if meeting is not None and meetings_visible_to(user).filter(pk=meeting.pk).exists():
        try:
            meeting_url = reverse("meetings:meeting_detail", args=[meeting.pk])
        except NoReverseMatch:  # pragma: no cover - the meeting pages are another module's
            meeting_url = None
    return render(
        request,
        "meetings/action_detail.html",
        {
            "action": action,
            "overdue": action.is_overdue(timezone.localdate()),
            "updates": action.updates.select_related("by").order_by("-at", "-id"),
            "form": form,
            "sees_case": cases_visible_to(user).filter(pk=action.case_id).exists(),
            "meeting": meeting,
            "meeting_url": meeting_url,
            "can_reopen": can(user, Perm.MEETINGS_MANAGE),
        },
    )


@require(Perm.MEETINGS_MANAGE, shows_personal_data=True)
def action_new(request, item_pk):
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting", "case"),
        pk=item_pk,
        meeting__in=meetings_visible_to(request.user),
    )
    form = ActionNewForm(request.POST or None)
    created = {}

    def call(data):
        created["action"] = action_create(
            case=item.case,
            by=request.user,
            description=data["description"],
            owner_agency=data["owner_agency"],
            owner=data["owner"],
            due_on=data["due_on"],
            agenda_item=item,
        )

    saved, form = _save(request, form, call)
    if saved:
        action = created["action"]
        messages.success(
            request, f"Action {action.reference} created for {action.owner_agency.name}."
        )
        return redirect("meetings:action_detail", pk=action.pk)
    request.audit.consulted(item.case)
    return render(request, "meetings/action_new.html", {"item": item, "form": form})


urlpatterns = [
    path("actions/mine/", my_actions, name="my_actions"),
    path("actions/agency/", agency_actions, name="agency_actions"),
    path("actions/<int:pk>/", action_detail, name="action_detail"),
    path("agenda/<int:item_pk>/actions/new/", action_new, name="action_new"),
]
