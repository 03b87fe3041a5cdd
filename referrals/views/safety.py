"""The victim's safety plan and the victim's voice on a case.

Who may use these views:
- ``safety_action_add``, ``safety_action_edit``: ISACs on cases referred to their ISAC service,
  and coordinators (``Perm.SAFETY_PLAN``); everyone else is refused.
- ``victim_voice_add``: ISACs on cases referred to their ISAC service (``Perm.VICTIM_VOICE``).
The case page shows both (``selectors.safety.safety_panel``), to everyone who may see those
sections.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse

from stalking_clinic.access import POSTS, Perm, require
from stalking_clinic.service_forms import save_or_show

from ..access import get_case_for_user
from ..forms.safety import SafetyActionEditForm, SafetyActionForm, VictimVoiceForm
from ..models import SafetyAction
from ..services.safety import safety_action_add, safety_action_update
from ..services.victim_voice import victim_voice_record

ACTION_FORM = "referrals/safety/action_form.html"


def _save_on_case(
    request, case, form, service, /, *, done, template, title="", record=None, **given
):
    """A page adding to ``case``'s safety plan or victim's voice, or changing a plan action
    (``record``), through ``service``: once saved, the message ``done`` and back to the case;
    otherwise ``template`` with the form and its errors.

    Changing an action shows it, so the consultation is logged; after a refused stale save the
    form is bound against the version now saved and the action as it is now is shown above it
    (``saved_now``)."""

    def page(shown):
        context = {"case": case, "form": shown, "title": title}
        if record is not None:
            request.audit.consulted(case)
            # Bound again (a new form) only when someone else saved the action first.
            context |= {"action": record, "saved_now": record if shown is not form else None}
        return render(request, template, context)

    return save_or_show(
        request,
        form,
        service,
        done=done,
        then=reverse("referrals:case_detail", args=[case.pk]),
        page=page,
        record=record,
        **given,
    )


@require(Perm.SAFETY_PLAN, methods=POSTS)
def action_add(request, case_pk):
    case = get_case_for_user(request.user, case_pk, write=True, perm=Perm.SAFETY_PLAN)
    return _save_on_case(
        request,
        case,
        SafetyActionForm(request.POST or None),
        safety_action_add,
        done="Action added to the safety plan.",
        template=ACTION_FORM,
        title="Add an action to the safety plan",
        case=case,
    )


@require(Perm.SAFETY_PLAN, shows_personal_data=True, methods=POSTS)
def action_edit(request, pk):
    action = get_object_or_404(SafetyAction, pk=pk)
    # 404 as for the case itself when the user may not know the case exists.
    case = get_case_for_user(request.user, action.case_id, write=True, perm=Perm.SAFETY_PLAN)
    action.case = case
    form = (
        SafetyActionEditForm(request.POST)
        if request.method == "POST"
        else SafetyActionEditForm(initial=SafetyActionEditForm.initial_for(action))
    )
    return _save_on_case(
        request,
        case,
        form,
        safety_action_update,
        done="Safety plan updated.",
        template=ACTION_FORM,
        title="Change a safety plan action",
        record=action,
        action=action,
    )


@require(Perm.VICTIM_VOICE, methods=POSTS)
def voice_add(request, case_pk):
    case = get_case_for_user(request.user, case_pk, write=True, perm=Perm.VICTIM_VOICE)
    return _save_on_case(
        request,
        case,
        VictimVoiceForm(request.POST or None),
        victim_voice_record,
        done="The victim's voice is recorded.",
        template="referrals/safety/voice_form.html",
        case=case,
    )


urlpatterns = [
    path("cases/<int:case_pk>/safety-plan/add/", action_add, name="safety_action_add"),
    path("safety-actions/<int:pk>/edit/", action_edit, name="safety_action_edit"),
    path("cases/<int:case_pk>/victim-voice/add/", voice_add, name="victim_voice_add"),
]
