"""Cases: the list, the case page with its timeline, notes, sharing and ISAC referral.

Who may use these views:
- ``case_list`` and ``case_detail``: anyone who sees cases (``Perm.CASES_VIEW``); a partner agency
  only the cases shared with it, and on them only the shared sections (``referrals.access``).
- ``note_add``, ``share``, ``refer_isac``: those with the permission for the act and the whole
  case (else 403); ``log_entries_seen``: anyone with the whole case.
"""

from functools import partial

from django.shortcuts import redirect, render
from django.urls import path, reverse

from stalking_clinic.access import POST_ONLY, POSTS, Perm, require
from stalking_clinic.service_forms import save_or_show

from .. import break_glass, case_panels
from ..access import cases_visible_to, get_case_for_user
from ..forms.allocation import AdvocateForm, OwnerForm
from ..forms.cases import CaseFilterForm, CaseNoteForm, IsacReferralForm, ShareForm
from ..models import Case, Share
from ..selectors.case_page import case_page
from ..selectors.cases import cases_filtered
from ..services.allocation import case_opened_by
from ..services.cases import (
    case_log_entries_mark_seen,
    case_note_add,
    case_refer_to_isac,
    case_share,
)

CASE_LIST_LIMIT = 200


@require(Perm.CASES_VIEW, shows_personal_data=True)
def case_list(request):
    filters = CaseFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    cases = cases_filtered(
        cases_visible_to(request.user),
        status=data.get("status", ""),
        risk=data.get("risk", ""),
        area=data.get("area", ""),
        unassessed=data.get("unassessed", False),
        no_isac=data.get("no_isac", False),
        owner=data.get("owner"),
        advocate=data.get("advocate", ""),
        new=data.get("new", False),
    )
    shown = list(cases[:CASE_LIST_LIMIT])
    request.audit.listed(shown, what="Case list", people=[case.victim for case in shown])
    return render(
        request,
        "referrals/case_list.html",
        {"filters": filters, "cases": shown, "limit": CASE_LIST_LIMIT},
    )


def consulted_case(request, case):
    """Log the case page's consultation against the case and each person it shows (its victim
    and suspects, prefetched by ``get_case_for_user``)."""
    return request.audit.consulted(
        case,
        people=[case.victim, *case.suspects.all()],
        **break_glass.consultation_kwargs(request, case),
    )


def _posting_to(form, name, case):
    """``form``, set to post to the view ``name`` for ``case``: every form on the case page posts to
    the view that saves it, never back to the page."""
    form.helper.form_action = reverse(f"referrals:{name}", args=[case.pk])
    return form


def _case_page(
    request,
    case,
    *,
    note_form=None,
    share_form=None,
    isac_form=None,
    advocate_form=None,
    owner_form=None,
):
    page = case_page(case, user=request.user)
    context = {
        **page,
        **allocation_forms(page["allocation"], case, advocate_form, owner_form),
        "note_form": _posting_to(note_form or CaseNoteForm(prefix="note"), "note_add", case),
        "share_form": _posting_to(share_form or ShareForm(prefix="share"), "share", case),
        "isac_form": _posting_to(isac_form or IsacReferralForm(prefix="isac"), "refer_isac", case),
        # Other areas' panels (e.g. protection orders), registered in referrals.case_panels.
        "extra_panels": case_panels.panels_for(request, case),
    }
    return render(request, "referrals/case_detail.html", context)


def _change_case(request, case, form, service, /, *, form_name, done):
    """An act on the case through ``service``, from a form on the case page: once saved, the
    message ``done`` (text, or a function of the form's data and what the service returned) and
    back to the case; otherwise the case page again with the form (``form_name``) and its errors."""

    def page(form):
        consulted_case(request, case)
        return _case_page(request, case, **{form_name: form})

    return save_or_show(
        request,
        form,
        service,
        case=case,
        done=(lambda result: done(form.cleaned_data, result)) if callable(done) else done,
        then=reverse("referrals:case_detail", args=[case.pk]),
        page=page,
    )


@require(Perm.CASES_VIEW, shows_personal_data=True)
def case_detail(request, pk):
    disposed = (
        cases_visible_to(request.user, disposed=True)
        .filter(pk=pk, status=Case.Status.DISPOSED)
        .first()
    )
    if disposed:
        # Nothing personal is left to show: when and why it was disposed of, nothing to act on.
        request.audit.consulted(disposed)
        review = disposed.retention_reviews.filter(decision="dispose").last()
        return render(request, "referrals/case/disposed.html", {"case": disposed, "review": review})
    case = get_case_for_user(request.user, pk)
    if break_glass.must_give_reason(request, case):
        return redirect("referrals:case_break_glass", pk=case.pk)
    consulted_case(request, case)
    # Its newly allocated advocate opening the case: no longer new on their home page.
    case_opened_by(case, request.user)
    return _case_page(request, case)


def allocation_forms(panel, case, advocate_form=None, owner_form=None) -> dict:
    """The allocation panel's forms, for those who may use them, each posting to its view."""
    forms = {}
    if panel and panel["can_allocate"]:
        referral = panel["isac_referral"]
        form = advocate_form or AdvocateForm(
            prefix="advocate",
            agency=referral.agency,
            initial={"previous_advocate": referral.advocate_id},
        )
        forms["advocate_form"] = _posting_to(form, "allocate_advocate", case)
    if panel and panel["can_change_owner"]:
        form = owner_form or OwnerForm(prefix="owner", initial={"version": case.version})
        forms["owner_form"] = _posting_to(form, "owner_change", case)
    return forms


@require(Perm.CASE_NOTE, shows_personal_data=True, methods=POSTS)
def note_add(request, pk):
    case = get_case_for_user(request.user, pk, write=True, perm=Perm.CASE_NOTE)
    form = CaseNoteForm(request.POST or None, prefix="note")
    return _change_case(
        request, case, form, case_note_add, form_name="note_form", done="Note added."
    )


def _shared(data, share) -> str:
    if not data["sections"]:
        return f"No longer shared with {data['agency']}."
    shared = ", ".join(Share.Section(s).label.lower() for s in data["sections"])
    return f"Shared with {data['agency']}: {shared}."


@require(Perm.SHARE, shows_personal_data=True, methods=POSTS)
def share(request, pk):
    case = get_case_for_user(request.user, pk, write=True, perm=Perm.SHARE)
    form = ShareForm(request.POST or None, prefix="share")
    # The disclosure is logged with the page and the address it came from.
    sharing = partial(case_share, request=request)
    return _change_case(request, case, form, sharing, form_name="share_form", done=_shared)


def _referred(data, referral) -> str:
    return f"Case {referral.case.reference} referred to {referral.agency}."


@require(Perm.TRIAGE, shows_personal_data=True, methods=POSTS)
def refer_isac(request, pk):
    case = get_case_for_user(request.user, pk, write=True, perm=Perm.TRIAGE)
    form = IsacReferralForm(request.POST or None, prefix="isac")
    return _change_case(
        request, case, form, case_refer_to_isac, form_name="isac_form", done=_referred
    )


@require(Perm.CASES_VIEW, methods=POST_ONLY)
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
