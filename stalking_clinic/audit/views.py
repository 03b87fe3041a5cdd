from django.shortcuts import render

from stalking_clinic.access import Perm, require
from stalking_clinic.paging import keyset_page

from . import selectors
from .forms import AuditSearchForm


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
