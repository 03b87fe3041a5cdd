"""Police logs: uploading exports (with progress), and reviewing what the stalking scan found."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse

from stalking_clinic.access import Perm, require
from stalking_clinic.paging import keyset_page
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from .. import selectors
from ..forms.logs import FindingDismissForm, FindingFilterForm, FindingLinkForm, LogUploadForm
from ..forms.referrals import ReferralForm
from ..logs.jobs import log_import_queue
from ..models import Case, Finding, LogImport
from ..services.findings import finding_dismiss, finding_link_case, finding_refer

REJECTED_SHOWN = 500


@require(Perm.LOGS_IMPORT)
def log_imports(request):
    form = LogUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        log_import = log_import_queue(uploaded_file=form.cleaned_data["export"], by=request.user)
        return redirect("referrals:log_import_detail", pk=log_import.pk)
    imports = LogImport.objects.select_related("uploaded_by")[:20]
    return render(request, "referrals/logs/imports.html", {"form": form, "imports": imports})


@require(Perm.LOGS_IMPORT)
def log_import_detail(request, pk):
    log_import = get_object_or_404(LogImport, pk=pk)
    rejected = log_import.rejected.all()[:REJECTED_SHOWN]
    return render(
        request,
        "referrals/logs/import_detail.html",
        {"log_import": log_import, "rejected": rejected, "rejected_shown": REJECTED_SHOWN},
    )


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


@require(Perm.FINDINGS_REVIEW)
def findings(request):
    filters = FindingFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    findings = selectors.findings_queue(
        status=data.get("status", ""), kind=data.get("kind", ""), serial=data.get("serial", False)
    )
    page = keyset_page(request, findings, size=selectors.PAGE_SIZE)
    return render(
        request,
        "referrals/logs/findings.html",
        {"filters": filters, "findings": page.rows, "page": page},
    )


def _finding(pk) -> Finding:
    finding = (
        Finding.objects.select_related("case", "referral", "reviewed_by")
        .prefetch_related("victim", "suspect")
        .filter(pk=pk)
        .first()
    )
    if finding is None:
        raise Http404("No such finding")
    return finding


def _finding_page(request, finding, *, link_form=None, dismiss_form=None, error=None):
    entries = finding.entries.order_by("recorded_at")
    return render(
        request,
        "referrals/logs/finding_detail.html",
        {
            "finding": finding,
            "entries": entries,
            "open_cases": selectors.open_cases_for_finding(finding),
            "link_form": link_form or FindingLinkForm(initial={"version": finding.version}),
            "dismiss_form": dismiss_form
            or FindingDismissForm(initial={"version": finding.version}),
            "error": error,
        },
    )


@require(Perm.FINDINGS_REVIEW, shows_personal_data=True)
def finding_detail(request, pk):
    finding = _finding(pk)
    request.audit.consulted(finding)
    return _finding_page(request, finding)


@require(Perm.FINDINGS_REVIEW, shows_personal_data=True)
def finding_link(request, pk):
    finding = _finding(pk)
    request.audit.consulted(finding)
    form = FindingLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = Case.objects.filter(pk=form.cleaned_data["case_reference"]).first()
        if case is None:
            form.add_error("case_reference", "There is no case with that reference.")
        else:
            try:
                finding_link_case(
                    finding=finding,
                    version=form.cleaned_data["version"],
                    by=request.user,
                    case=case,
                )
            except ChangedByAnotherUser as error:
                form.add_error(None, error.message)
            except ServiceError as error:
                form.add_error("case_reference", error.message)
            else:
                messages.success(request, f"Finding linked to case {case.reference}.")
                return redirect("referrals:case_detail", pk=case.pk)
    return _finding_page(request, finding, link_form=form)


@require(Perm.FINDINGS_REVIEW, shows_personal_data=True)
def finding_dismiss_view(request, pk):
    finding = _finding(pk)
    request.audit.consulted(finding)
    form = FindingDismissForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            finding_dismiss(
                finding=finding,
                version=form.cleaned_data["version"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ChangedByAnotherUser as error:
            form.add_error(None, error.message)
        except ServiceError as error:
            form.add_error("reason", error.message)
        else:
            messages.success(request, "Finding dismissed.")
            return redirect("referrals:findings")
    return _finding_page(request, finding, dismiss_form=form)


@require(Perm.FINDINGS_REVIEW, shows_personal_data=True)
def finding_refer_view(request, pk):
    """A referral form pre-filled from the log entries; the coordinator checks and sends it."""
    finding = _finding(pk)
    request.audit.consulted(finding)
    if finding.status != Finding.Status.OPEN:
        messages.error(request, f"This finding is already {finding.get_status_display().lower()}.")
        return redirect("referrals:finding_detail", pk=pk)
    form = ReferralForm(
        request.POST or None, initial=selectors.referral_initial_from_finding(finding)
    )
    form.helper.form_tag = False  # the page's form also carries the finding's version
    if request.method == "POST" and form.is_valid():
        try:
            referral = finding_refer(
                finding=finding,
                version=int(request.POST.get("version", 0) or 0),
                by=request.user,
                submission=form.submission(),
            )
        except ServiceError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                f"Referral {referral.reference} created from the finding: it is now in "
                "the triage queue.",
            )
            return redirect("referrals:referral_detail", pk=referral.pk)
    return render(
        request,
        "referrals/logs/finding_refer.html",
        {"finding": finding, "form": form, "back": reverse("referrals:finding_detail", args=[pk])},
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
