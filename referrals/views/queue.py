"""The coordinator's triage queue and the triage of one referral (``Perm.TRIAGE``)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path

from stalking_clinic.access import POST_ONLY, POSTS, Perm, require
from stalking_clinic.paging import keyset_page
from stalking_clinic.service_forms import press_button, save_through_service
from stalking_clinic.services import ChangedByAnotherUser

from ..access import get_referral_for_user
from ..forms.triage import AssignForm, QueueFilterForm, QueueSearchForm, TriageForm
from ..models import Person, Referral
from ..selectors.referrals import (
    PAGE_SIZE,
    queue_rows,
    referral_page,
    referral_queue,
    triage_matches,
)
from ..services.referrals import referral_assign, referral_match_person
from ..services.triage import referral_triage

SEARCH_KEY = "referral_queue_search"


@require(Perm.TRIAGE, shows_personal_data=True, methods=POSTS)
def queue(request):
    if request.method == "POST":
        # Searching by name goes through the session, never the URL (which servers log).
        if "clear" in request.POST:
            request.session.pop(SEARCH_KEY, None)
        else:
            search_form = QueueSearchForm(request.POST)
            if search_form.is_valid():
                request.session[SEARCH_KEY] = search_form.cleaned_data["search"]
        return redirect(request.get_full_path())
    search = request.session.get(SEARCH_KEY, "")
    filters = QueueFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    query = referral_queue(
        Referral.objects.all(),
        status=data.get("status", ""),
        risk=data.get("risk", ""),
        area=data.get("area", ""),
        source=data.get("source", ""),
        assigned_to=data.get("assigned_to"),
        search=search,
    )
    page = keyset_page(request, query, size=PAGE_SIZE)
    request.audit.listed(
        page.rows,
        what="Triage queue",
        terms=search,
        people=[p for r in page.rows for p in (r.victim, r.suspect)],
    )
    return render(
        request,
        "referrals/queue.html",
        {
            "filters": filters,
            "search_form": QueueSearchForm(initial={"search": search}),
            "search": search,
            "rows": queue_rows(page.rows),
            "total": query.count(),
            "target": settings.TRIAGE_TARGET_WORKING_DAYS,
            "page": page,
        },
    )


@require(Perm.TRIAGE, shows_personal_data=True, methods=POSTS)
def triage(request, pk):
    referral = get_referral_for_user(request.user, pk, write=True)
    request.audit.consulted(referral, justification="Triage")
    form = TriageForm(
        request.POST or None,
        initial={
            "version": referral.version,
            "risk_level": referral.risk_level or None,
            "owner": referral.assigned_to_id or request.user.pk,
        },
    )
    outcome = save_through_service(
        request, form, referral_triage, referral=referral, by=request.user
    )
    if outcome.saved:
        decision = outcome.result
        messages.success(
            request,
            f"Referral {referral.reference}: {decision.get_outcome_display().lower()}. "
            f"Case {decision.case.reference} updated.",
        )
        return redirect("referrals:case_detail", pk=decision.case_id)
    if outcome.form.non_field_errors():
        # Refused because someone else triaged or changed it first: show it as it is now.
        referral = get_referral_for_user(request.user, pk, write=True)
    return render(
        request,
        "referrals/triage.html",
        {
            # The officer's own S-DASH answers and FOUR description, shown beside the form.
            **referral_page(referral, user=request.user),
            "sdash_open": True,
            "form": outcome.form,
            "matches": triage_matches(referral),
            "assign_form": AssignForm(
                initial={"version": referral.version, "assigned_to": referral.assigned_to_id}
            ),
        },
    )


@require(Perm.TRIAGE, shows_personal_data=True, methods=POST_ONLY)
def match_person(request, pk):
    """The coordinator confirms that the victim or suspect typed on a referral is a person
    already known (one of the triage page's possible matches)."""
    referral = get_referral_for_user(request.user, pk, write=True)
    role, person_pk, version = (request.POST.get(k, "") for k in ("role", "person", "version"))
    person = Person.objects.filter(pk=int(person_pk)).first() if person_pk.isdigit() else None
    if person is None or not version.isdigit():
        messages.error(request, "Choose one of the possible matches.")
        return redirect("referrals:triage", pk=pk)
    try:
        press_button(
            request,
            referral_match_person,
            referral=referral,
            role=role,
            person=person,
            version=int(version),
            request=request,
            done=lambda r: f"The {role} of referral {r.reference} is now {person.full_name}.",
        )
    except ChangedByAnotherUser as error:
        messages.error(request, str(error))
    return redirect("referrals:triage", pk=pk)


@require(Perm.TRIAGE, methods=POST_ONLY)
def assign(request, pk):
    referral = get_referral_for_user(request.user, pk, write=True)
    outcome = save_through_service(
        request, AssignForm(request.POST), referral_assign, referral=referral, by=request.user
    )
    if outcome.saved:
        to = outcome.form.cleaned_data["assigned_to"]
        messages.success(
            request,
            f"Referral {referral.reference} assigned to {to.display_name}."
            if to
            else f"Referral {referral.reference} is no longer assigned.",
        )
    for refusal in outcome.form.non_field_errors():
        messages.error(request, refusal)
    return redirect("referrals:triage", pk=pk)


urlpatterns = [
    path("queue/", queue, name="queue"),
    path("<int:pk>/triage/", triage, name="triage"),
    path("<int:pk>/assign/", assign, name="assign"),
    path("<int:pk>/match-person/", match_person, name="match_person"),
]
