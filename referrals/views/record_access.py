"""Who opens which record: the break-glass reason asked before a case or person outside one's own
work opens, and the "who has seen this record" page of each case and person.

Who may use these views:
- ``case_break_glass``: whoever may see the case (``get_case_for_user``); only those who see
  every case are ever sent there (``referrals.break_glass``).
- ``person_break_glass``: those who see person pages (``Perm.PEOPLE_VIEW``).
- ``case_access_log`` and ``person_access_log``: the coordinator, the tactical lead and
  administrators, as auditors (``Perm.ACCESS_LOG_VIEW``). They show references, never names, so
  an administrator without a case role sees no case data there.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse

from stalking_clinic.access import POSTS, Perm, can, require
from stalking_clinic.audit.selectors import PAGE_SIZE, events_about
from stalking_clinic.paging import keyset_page

from .. import break_glass
from ..access import get_case_for_user, get_person_for_user
from ..forms.break_glass import BreakGlassForm
from ..models import Case, Person


def reason_page(request, obj, *, what: str, form=None):
    """The page asking why the user opens ``obj`` (a case or person) outside their own work; it
    posts to the record's break-glass view. Nothing personal is on it: only the reference."""
    kind = "case" if isinstance(obj, Case) else "person"
    form = form or BreakGlassForm()
    form.helper.form_action = reverse(f"referrals:{kind}_break_glass", args=[obj.pk])
    then = break_glass.safe_next(request)
    if then:
        form.helper.form_action += "?" + urlencode({"next": then})
    back = reverse("referrals:case_list") if kind == "case" else reverse("home:index")
    return render(
        request,
        "referrals/break_glass.html",
        {"form": form, "what": what, "back": back, "label": obj.audit_label},
    )


def _give_reason(request, obj, *, what: str, page: str, people=()):
    """The reason page; posted a reason, log the consultation as break-glass with it, remember
    it for the session, and open the record's page."""
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        request.audit.consulted(obj, justification=reason, break_glass=True, people=people)
        break_glass.remember(request, obj, reason)
        return redirect(break_glass.safe_next(request) or reverse(page, args=[obj.pk]))
    return reason_page(request, obj, what=what, form=form)


# The page shows the record's reference only; the consultation is logged once a reason is given.
@require(Perm.CASES_VIEW, methods=POSTS)
def case_break_glass(request, pk):
    case = get_case_for_user(request.user, pk)
    return _give_reason(
        request,
        case,
        what="case",
        page="referrals:case_detail",
        people=[case.victim, *case.suspects.all()],
    )


@require(Perm.PEOPLE_VIEW, methods=POSTS)
def person_break_glass(request, pk):
    person = get_person_for_user(request.user, pk)
    return _give_reason(
        request,
        person,
        what="person's record",
        page="referrals:person_detail",
    )


def _access_log(request, obj, *, back: str | None):
    page = keyset_page(request, events_about(type(obj), obj.pk), size=PAGE_SIZE)
    # The trail names the record by reference only, none of its data: no reason asked.
    request.audit.consulted(obj, gated=False)
    return render(
        request,
        "referrals/access_log.html",
        {"label": obj.audit_label, "events": page.rows, "page": page, "back": back},
    )


@require(Perm.ACCESS_LOG_VIEW)
def case_access_log(request, pk):
    case = Case.objects.filter(pk=pk).first()
    if case is None:
        raise Http404("No such case")
    back = (
        reverse("referrals:case_detail", args=[pk]) if can(request.user, Perm.CASES_VIEW) else None
    )
    return _access_log(request, case, back=back)


@require(Perm.ACCESS_LOG_VIEW)
def person_access_log(request, pk):
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise Http404("No such person")
    sees_people = can(request.user, Perm.PEOPLE_VIEW)
    back = reverse("referrals:person_detail", args=[pk]) if sees_people else None
    return _access_log(request, person, back=back)


urlpatterns = [
    path("cases/<int:pk>/reason/", case_break_glass, name="case_break_glass"),
    path("cases/<int:pk>/access-log/", case_access_log, name="case_access_log"),
    path("people/<int:pk>/reason/", person_break_glass, name="person_break_glass"),
    path("people/<int:pk>/access-log/", person_access_log, name="person_access_log"),
]
