"""Cases: the list, the case page with its timeline, notes, sharing and ISAC referral."""

from django.contrib import messages
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from stalking_clinic.access import Perm, can, require
from stalking_clinic.services import ServiceError

from .. import case_panels, selectors
from ..access import ALL_SECTIONS, case_sections_for, cases_visible_to, get_case_for_user
from ..forms.cases import CaseFilterForm, CaseNoteForm, IsacReferralForm, ShareForm
from ..models import Share
from ..selectors import needs_isac_referral
from ..services.cases import (
    case_log_entries_mark_seen,
    case_note_add,
    case_refer_to_isac,
    case_share,
)
from ..timeline import timeline_for
from . import assessments, people, safety

CASE_LIST_LIMIT = 200


@require(Perm.CASES_VIEW)
def case_list(request):
    filters = CaseFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    cases = selectors.case_list(
        cases_visible_to(request.user),
        status=data.get("status", ""),
        risk=data.get("risk", ""),
        area=data.get("area", ""),
        unassessed=data.get("unassessed", False),
        no_isac=data.get("no_isac", False),
    )
    return render(
        request,
        "referrals/case_list.html",
        {"filters": filters, "cases": cases[:CASE_LIST_LIMIT], "limit": CASE_LIST_LIMIT},
    )


def _case_page(request, case, *, note_form=None, share_form=None, isac_form=None):
    user = request.user
    sections = case_sections_for(user, case)
    full = sections == ALL_SECTIONS
    context = {
        "case": case,
        "sections": sections,
        "full_access": full,
        "timeline": timeline_for(case, sections),
        "assessments_panel": assessments.case_panel(case, user=user)
        if "assessments" in sections
        else None,
        "safety_panel": safety.case_panel(case, user=user)
        if sections & {"safety_plan", "victim_voice"}
        else None,
        "people_panel": people.case_panel(case, user=user) if full else None,
        "shares": case.shares.select_related("agency") if full else [],
        "agency_referrals": case.agency_referrals.select_related("agency") if full else [],
        "can_note": full and can(user, Perm.CASE_NOTE),
        "can_share": full and can(user, Perm.SHARE),
        "can_view_people": can(user, Perm.PEOPLE_VIEW),
        "can_refer_isac": can(user, Perm.TRIAGE),
        "needs_isac": full and needs_isac_referral(case),
        "new_log_entries": full and case.findings.filter(updated_at__gt=F("reviewed_at")).exists(),
        "note_form": note_form or CaseNoteForm(),
        "share_form": share_form or ShareForm(),
        "isac_form": isac_form or IsacReferralForm(),
        # Other areas' panels (e.g. protection orders), registered in referrals.case_panels.
        "extra_panels": case_panels.panels_for(request, case),
    }
    return render(request, "referrals/case_detail.html", context)


@require(Perm.CASES_VIEW, shows_personal_data=True)
def case_detail(request, pk):
    case = get_case_for_user(request.user, pk)
    request.audit.consulted(case)
    return _case_page(request, case)


@require(Perm.CASE_NOTE, shows_personal_data=True)
def note_add(request, pk):
    case = get_case_for_user(request.user, pk, write=True, perm=Perm.CASE_NOTE)
    form = CaseNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case_note_add(case=case, by=request.user, text=form.cleaned_data["text"])
        except ServiceError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, "Note added.")
            return redirect("referrals:case_detail", pk=case.pk)
    request.audit.consulted(case)
    return _case_page(request, case, note_form=form)


@require(Perm.SHARE, shows_personal_data=True)
def share(request, pk):
    case = get_case_for_user(request.user, pk, write=True, perm=Perm.SHARE)
    form = ShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case_share(
                case=case,
                agency=data["agency"],
                sections=data["sections"],
                reason=data["reason"],
                by=request.user,
            )
        except ServiceError as error:
            form.add_error(error.field, error.message)
        else:
            shared = ", ".join(Share.Section(s).label.lower() for s in data["sections"])
            messages.success(
                request,
                f"Shared with {data['agency']}: {shared}."
                if data["sections"]
                else f"No longer shared with {data['agency']}.",
            )
            return redirect("referrals:case_detail", pk=case.pk)
    request.audit.consulted(case)
    return _case_page(request, case, share_form=form)


@require(Perm.TRIAGE, shows_personal_data=True)
def refer_isac(request, pk):
    case = get_case_for_user(request.user, pk, write=True, perm=Perm.TRIAGE)
    form = IsacReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = case_refer_to_isac(
                case=case, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ServiceError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"Case {case.reference} referred to {referral.agency}.")
            return redirect("referrals:case_detail", pk=case.pk)
    request.audit.consulted(case)
    return _case_page(request, case, isac_form=form)


@require(Perm.CASES_VIEW)
@require_POST
def log_entries_seen(request, pk):
    case = get_case_for_user(request.user, pk, write=True, perm=Perm.CASES_VIEW)
    case_log_entries_mark_seen(case=case, by=request.user)
    return redirect(reverse("referrals:case_detail", args=[case.pk]) + "#timeline")


urlpatterns = [
    path("cases/", case_list, name="case_list"),
    path("cases/<int:pk>/", case_detail, name="case_detail"),
    path("cases/<int:pk>/notes/add/", note_add, name="note_add"),
    path("cases/<int:pk>/share/", share, name="share"),
    path("cases/<int:pk>/refer-isac/", refer_isac, name="refer_isac"),
    path("cases/<int:pk>/log-entries-seen/", log_entries_seen, name="log_entries_seen"),
]
