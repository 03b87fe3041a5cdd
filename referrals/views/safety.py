"""The victim's safety plan and the victim's voice on a case.

Who may use these views:
- ``safety_action_add``, ``safety_action_edit``: ISACs on cases referred to their ISAC service,
  and coordinators (``Perm.SAFETY_PLAN``); everyone else is refused.
- ``victim_voice_add``: ISACs on cases referred to their ISAC service (``Perm.VICTIM_VOICE``).
The case page shows both through ``case_panel``, to everyone who may see those sections.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone

from stalking_clinic.access import Perm, can, require
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from ..access import ALL_SECTIONS, case_sections_for, get_case_for_user
from ..forms.safety import SafetyActionEditForm, SafetyActionForm, VictimVoiceForm
from ..models import Case, SafetyAction, SafetyActionChange, Share
from ..services.safety import safety_action_add, safety_action_update
from ..services.victim_voice import victim_voice_record

_FINISHED = {SafetyAction.Status.DONE, SafetyAction.Status.NOT_NEEDED}


@require(Perm.SAFETY_PLAN)
def action_add(request, case_pk):
    case = get_case_for_user(request.user, case_pk, write=True, perm=Perm.SAFETY_PLAN)
    form = SafetyActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            safety_action_add(
                case=case,
                by=request.user,
                description=data["description"],
                owner=data["owner"],
                due_date=data["due_date"],
            )
        except ServiceError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, "Action added to the safety plan.")
            return redirect("referrals:case_detail", pk=case.pk)
    return render(
        request,
        "referrals/safety/action_form.html",
        {"case": case, "form": form, "title": "Add an action to the safety plan"},
    )


@require(Perm.SAFETY_PLAN, shows_personal_data=True)
def action_edit(request, pk):
    action = get_object_or_404(SafetyAction, pk=pk)
    # 404 as for the case itself when the user may not know the case exists.
    case = get_case_for_user(request.user, action.case_id, write=True, perm=Perm.SAFETY_PLAN)
    action.case = case
    saved_now = None  # the action as someone else saved it, shown after a refused save
    if request.method == "POST":
        form = SafetyActionEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                safety_action_update(
                    action=action,
                    version=data["version"],
                    by=request.user,
                    description=data["description"],
                    owner=data["owner"],
                    due_date=data["due_date"],
                    status=data["status"],
                )
            except ChangedByAnotherUser as error:
                action.refresh_from_db()
                saved_now = action
                # Keep what the user typed, but against the version they have now been shown:
                # saving again is then a decision taken knowing the other change.
                fresh = request.POST.copy()
                fresh["version"] = str(action.version)
                form = SafetyActionEditForm(fresh)
                form.is_valid()
                form.add_error(None, error.message)
            except ServiceError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(request, "Safety plan updated.")
                return redirect("referrals:case_detail", pk=case.pk)
    else:
        form = SafetyActionEditForm(initial=SafetyActionEditForm.initial_for(action))
    request.audit.consulted(case)
    return render(
        request,
        "referrals/safety/action_form.html",
        {
            "case": case,
            "form": form,
            "action": action,
            "saved_now": saved_now,
            "title": "Change a safety plan action",
        },
    )


@require(Perm.VICTIM_VOICE)
def voice_add(request, case_pk):
    case = get_case_for_user(request.user, case_pk, write=True, perm=Perm.VICTIM_VOICE)
    form = VictimVoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            victim_voice_record(
                case=case,
                by=request.user,
                account=data["account"],
                wishes=data["wishes"],
                concerns=data["concerns"],
            )
        except ServiceError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, "The victim's voice is recorded.")
            return redirect("referrals:case_detail", pk=case.pk)
    return render(request, "referrals/safety/voice_form.html", {"case": case, "form": form})


urlpatterns = [
    path("cases/<int:case_pk>/safety-plan/add/", action_add, name="safety_action_add"),
    path("safety-actions/<int:pk>/edit/", action_edit, name="safety_action_edit"),
    path("cases/<int:case_pk>/victim-voice/add/", voice_add, name="victim_voice_add"),
]


@dataclass(frozen=True)
class PlanRow:
    action: SafetyAction
    overdue: bool
    last_change: SafetyActionChange | None


def _plan_order(row: PlanRow):
    # Open actions first, soonest due first (undated after dated); finished ones at the end.
    action = row.action
    return (
        action.status in _FINISHED,
        action.due_date is None,
        action.due_date or datetime.date.max,
        action.pk,
    )


def case_panel(case: Case, *, user) -> dict:
    """The safety plan and the victim's voice for the case page, in a fixed number of queries.

    A partner agency sees each part only if it was shared with them; only those who may write
    to the whole case may change the plan or record the victim's voice.
    """
    sections = case_sections_for(user, case)
    full = sections == ALL_SECTIONS
    panel = {
        "show_safety_plan": Share.Section.SAFETY_PLAN in sections,
        "show_victim_voice": Share.Section.VICTIM_VOICE in sections,
        "can_edit_safety_plan": full and can(user, Perm.SAFETY_PLAN),
        "can_record_voice": full and can(user, Perm.VICTIM_VOICE),
        "actions": [],
        "overdue_count": 0,
        "latest_voice": None,
        "earlier_voices": [],
        "earlier_voice_count": 0,
    }
    if panel["show_safety_plan"]:
        today = timezone.localdate()
        actions = SafetyAction.objects.filter(case=case).prefetch_related(
            Prefetch(
                "changes",
                queryset=SafetyActionChange.objects.select_related("changed_by").order_by(
                    "-changed_at", "-id"
                ),
            )
        )
        rows = [
            PlanRow(
                action=action,
                overdue=bool(
                    action.due_date and action.due_date < today and action.status not in _FINISHED
                ),
                last_change=next(iter(action.changes.all()), None),
            )
            for action in actions
        ]
        rows.sort(key=_plan_order)
        panel["actions"] = rows
        panel["overdue_count"] = sum(row.overdue for row in rows)
    if panel["show_victim_voice"]:
        voices = list(
            case.victim_voices.select_related("recorded_by").order_by("-recorded_at", "-id")
        )
        if voices:
            panel["latest_voice"], panel["earlier_voices"] = voices[0], voices[1:]
            panel["earlier_voice_count"] = len(voices) - 1
    return panel
