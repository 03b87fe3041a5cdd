from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from stalking_clinic.access import POST_ONLY, Perm, require
from stalking_clinic.paging import keyset_page

from . import selectors, unusual
from .forms import AuditSearchForm
from .models import UnusualAccess


@require(Perm.AUDIT_VIEW)
def search(request):
    """The administrator's search of the audit log, by user, record and date."""
    form = AuditSearchForm(request.GET or None, record_types=selectors.record_types())
    page = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        query = selectors.audit_events(
            username=data["user"],
            record_type=data["record_type"],
            record_id=data["record_id"].strip(),
            action=data["action"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    elif not form.is_bound:
        query = selectors.audit_events()
    else:
        query = None
    if query is not None:
        page = keyset_page(request, query, size=selectors.PAGE_SIZE)
    return render(
        request,
        "audit/search.html",
        {"form": form, "filters": form, "events": page.rows if page else [], "page": page},
    )


@require(Perm.AUDIT_VIEW)
def unusual_access(request):
    """Accounts that opened unusually many records in a short time, not yet reviewed: each
    links to its audit log, and is marked as reviewed once looked into."""
    alerts = [
        (alert, unusual.audit_search_link(alert.user.username)) for alert in unusual.to_review()
    ]
    return render(request, "audit/unusual_access.html", {"alerts": alerts})


@require(Perm.AUDIT_VIEW, methods=POST_ONLY)
def unusual_access_reviewed(request, pk):
    alert = get_object_or_404(UnusualAccess, pk=pk, reviewed_at__isnull=True)
    unusual.mark_reviewed(alert, by=request.user)
    messages.success(request, f"Marked the alert about {alert.user.username} as reviewed.")
    return redirect("audit:unusual_access")
