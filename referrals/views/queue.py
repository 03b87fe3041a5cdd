"""The coordinator's triage queue and the triage of one referral."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from stalking_clinic.access import Perm, require
from stalking_clinic.paging import keyset_page
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from .. import selectors
from ..access import get_referral_for_user
from ..forms.triage import AssignForm, QueueFilterForm, QueueSearchForm, TriageForm
from ..models import Referral
from ..services.referrals import referral_assign
from ..services.triage import referral_triage
from ..working_days import working_days_between

SEARCH_KEY = "referral_queue_search"


@require(Perm.TRIAGE)
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
    query = selectors.referral_queue(
        Referral.objects.all(),
        status=data.get("status", ""),
        risk=data.get("risk", ""),
        area=data.get("area", ""),
        source=data.get("source", ""),
        assigned_to=data.get("assigned_to"),
        search=search,
    )
    page = keyset_page(request, query, size=selectors.PAGE_SIZE)
    today = timezone.localdate()
    target = settings.TRIAGE_TARGET_WORKING_DAYS
    rows = []
    for referral in page.rows:
        waiting = referral.status == Referral.Status.WAITING
        waited = (
            working_days_between(timezone.localdate(referral.submitted_at), today)
            if waiting
            else None
        )
        rows.append(
            {
                "referral": referral,
                "days_waiting": waited,
                "overdue": waiting and waited > target,
            }
        )
    return render(
        request,
        "referrals/queue.html",
        {
            "filters": filters,
            "search_form": QueueSearchForm(initial={"search": search}),
            "search": search,
            "rows": rows,
            "total": query.count(),
            "target": target,
            "page": page,
        },
    )


@require(Perm.TRIAGE, shows_personal_data=True)
def triage(request, pk):
    referral = get_referral_for_user(request.user, pk, write=True)
    request.audit.consulted(referral, justification="Triage")
    decision = getattr(referral, "decision", None)
    form = TriageForm(
        request.POST or None,
        initial={
            "version": referral.version,
            "risk_level": referral.risk_level or None,
            "owner": referral.assigned_to_id or request.user.pk,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = referral_triage(
                referral=referral,
                version=data["version"],
                by=request.user,
                risk_level=data["risk_level"],
                risk_reasons=data["risk_reasons"],
                owner=data["owner"],
                outcome=data["outcome"],
                advice=data["advice"],
                partner_agency=data["partner_agency"],
                other_force=data["other_force"],
                other_force_contact=data["other_force_contact"],
                nfa_reason=data["nfa_reason"],
            )
        except ChangedByAnotherUser as error:
            form.add_error(None, error.message)
            referral = get_referral_for_user(request.user, pk, write=True)
            decision = getattr(referral, "decision", None)
        except ServiceError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                f"Referral {referral.reference}: {decision.get_outcome_display().lower()}. "
                f"Case {decision.case.reference} updated.",
            )
            return redirect("referrals:case_detail", pk=decision.case_id)
    return render(
        request,
        "referrals/triage.html",
        {
            "referral": referral,
            "decision": decision,
            "form": form,
            "assign_form": AssignForm(
                initial={"version": referral.version, "assigned_to": referral.assigned_to_id}
            ),
        },
    )


@require(Perm.TRIAGE)
@require_POST
def assign(request, pk):
    referral = get_referral_for_user(request.user, pk, write=True)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            referral_assign(
                referral=referral,
                version=form.cleaned_data["version"],
                to=form.cleaned_data["assigned_to"],
                by=request.user,
            )
        except ChangedByAnotherUser as error:
            messages.error(request, error.message)
        else:
            to = form.cleaned_data["assigned_to"]
            messages.success(
                request,
                f"Referral {referral.reference} assigned to {to.display_name}."
                if to
                else f"Referral {referral.reference} is no longer assigned.",
            )
    return redirect("referrals:triage", pk=pk)


urlpatterns = [
    path("queue/", queue, name="queue"),
    path("<int:pk>/triage/", triage, name="triage"),
    path("<int:pk>/assign/", assign, name="assign"),
]
