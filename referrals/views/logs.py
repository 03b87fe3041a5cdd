"""Police logs: uploading exports (with progress), and reviewing what the stalking scan found.

Who may use these views: uploads and imports, the coordinator (``Perm.LOGS_IMPORT``); findings,
the coordinator and tactical lead (``Perm.FINDINGS_REVIEW``).
"""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse

from stalking_clinic.access import POSTS, Perm, require
from stalking_clinic.accounts.sessions import background_request
from stalking_clinic.audit.services import reference_for
from stalking_clinic.paging import keyset_page
from stalking_clinic.service_forms import save_or_show, save_through_service

from ..access import get_finding_for_user
from ..forms.logs import FindingDismissForm, FindingFilterForm, FindingLinkForm, LogUploadForm
from ..forms.referrals import ReferralForm
from ..logs.jobs import log_import_queue
from ..models import Finding, LogImport, Person
from ..selectors.logs import (
    PAGE_SIZE,
    finding_page,
    findings_queue,
    log_imports_recent,
    referral_initial_from_finding,
)
from ..services.findings import finding_dismiss, finding_link_case, finding_refer

REJECTED_SHOWN = 500


@require(Perm.LOGS_IMPORT, methods=POSTS)
def log_imports(request):
    form = LogUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        log_import = log_import_queue(uploaded_file=form.cleaned_data["export"], by=request.user)
        return redirect("referrals:log_import_detail", pk=log_import.pk)
    return render(
        request, "referrals/logs/imports.html", {"form": form, "imports": log_imports_recent()}
    )


@require(Perm.LOGS_IMPORT)
def log_import_detail(request, pk):
    log_import = get_object_or_404(LogImport, pk=pk)
    rejected = log_import.rejected.all()[:REJECTED_SHOWN]
    return render(
        request,
        "referrals/logs/import_detail.html",
        {"log_import": log_import, "rejected": rejected, "rejected_shown": REJECTED_SHOWN},
    )


@background_request
@require(Perm.LOGS_IMPORT)
def log_import_progress(request, pk):
    """For the progress bar: counts only, never a row's content."""
    log_import = get_object_or_404(LogImport, pk=pk)
    return JsonResponse(
        {
            "status": log_import.status,
            "status_label": log_import.get_status_display(),
            "percent": log_import.percent,
            "rows_read": log_import.rows_read,
            "finished": log_import.status
            not in {LogImport.Status.QUEUED, LogImport.Status.RUNNING},
        }
    )


@require(Perm.FINDINGS_REVIEW, shows_personal_data=True)
def findings(request):
    filters = FindingFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    findings = findings_queue(
        status=data.get("status", ""), kind=data.get("kind", ""), serial=data.get("serial", False)
    )
    page = keyset_page(request, findings, size=PAGE_SIZE)
    request.audit.listed(
        page.rows,
        what="Police log findings",
        # By id: a person missing from the register must not stop the list.
        people=[
            reference_for(Person, pk) for f in page.rows for pk in (f.victim_id, f.suspect_id) if pk
        ],
    )
    return render(
        request,
        "referrals/logs/findings.html",
        {"filters": filters, "findings": page.rows, "page": page},
    )


def _finding_page(request, finding, *, link_form=None, dismiss_form=None):
    return render(
        request,
        "referrals/logs/finding_detail.html",
        {
            **finding_page(finding),
            "link_form": link_form or FindingLinkForm(initial={"version": finding.version}),
            "dismiss_form": dismiss_form
            or FindingDismissForm(initial={"version": finding.version}),
        },
    )


def _review(request, finding, form, service, /, *, form_name, done, then, field_aliases=None):
    """A review of ``finding`` through ``service`` from a form on its page: once saved, the
    message ``done`` and on to the address ``then`` (each text, or a function of what the service
    returned); otherwise the finding's page again with the form (``form_name``) and its errors.
    Someone else's review first is told at the top of the form."""
    return save_or_show(
        request,
        form,
        service,
        finding=finding,
        done=done,
        then=then,
        page=lambda shown: _finding_page(request, finding, **{form_name: shown}),
        field_aliases=field_aliases,
    )


@require(Perm.FINDINGS_REVIEW, shows_personal_data=True)
def finding_detail(request, pk):
    finding = get_finding_for_user(request.user, pk)
    request.audit.consulted(finding)
    return _finding_page(request, finding)


@require(Perm.FINDINGS_REVIEW, shows_personal_data=True, methods=POSTS)
def finding_link(request, pk):
    finding = get_finding_for_user(request.user, pk)
    request.audit.consulted(finding)
    return _review(
        request,
        finding,
        FindingLinkForm(request.POST or None),
        finding_link_case,
        form_name="link_form",
        # The service names the case it refuses; the form asked for its reference.
        field_aliases={"case": "case_reference"},
        done=lambda linked: f"Finding linked to case {linked.case.reference}.",
        then=lambda linked: reverse("referrals:case_detail", args=[linked.case_id]),
    )


@require(Perm.FINDINGS_REVIEW, shows_personal_data=True, methods=POSTS)
def finding_dismiss_view(request, pk):
    finding = get_finding_for_user(request.user, pk)
    request.audit.consulted(finding)
    return _review(
        request,
        finding,
        FindingDismissForm(request.POST or None),
        finding_dismiss,
        form_name="dismiss_form",
        done="Finding dismissed.",
        then=reverse("referrals:findings"),
    )


@require(Perm.FINDINGS_REVIEW, shows_personal_data=True, methods=POSTS)
def finding_refer_view(request, pk):
    """A referral form pre-filled from the log entries; the coordinator checks and sends it."""
    finding = get_finding_for_user(request.user, pk)
    request.audit.consulted(finding)
    if finding.status != Finding.Status.OPEN:
        messages.error(request, f"This finding is already {finding.get_status_display().lower()}.")
        return redirect("referrals:finding_detail", pk=pk)
    form = ReferralForm(request.POST or None, initial=referral_initial_from_finding(finding))
    form.helper.form_tag = False  # the page's form also carries the finding's version
    outcome = save_through_service(
        request,
        form,
        finding_refer,
        finding=finding,
        version=int(request.POST.get("version", 0) or 0),
        by=request.user,
    )
    if outcome.saved:
        referral = outcome.result
        messages.success(
            request,
            f"Referral {referral.reference} created from the finding: it is now in "
            "the triage queue.",
        )
        return redirect("referrals:referral_detail", pk=referral.pk)
    return render(
        request,
        "referrals/logs/finding_refer.html",
        {
            "finding": finding,
            "form": outcome.form,
            "back": reverse("referrals:finding_detail", args=[pk]),
        },
    )


urlpatterns = [
    path("police-logs/", log_imports, name="log_imports"),
    path("police-logs/<int:pk>/", log_import_detail, name="log_import_detail"),
    path("police-logs/<int:pk>/progress/", log_import_progress, name="log_import_progress"),
    path("findings/", findings, name="findings"),
    path("findings/<int:pk>/", finding_detail, name="finding_detail"),
    path("findings/<int:pk>/link/", finding_link, name="finding_link"),
    path("findings/<int:pk>/dismiss/", finding_dismiss_view, name="finding_dismiss"),
    path("findings/<int:pk>/refer/", finding_refer_view, name="finding_refer"),
]
