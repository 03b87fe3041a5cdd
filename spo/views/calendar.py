"""The protection orders calendar: the page (by week or as a list), its iCalendar download, the
secret subscription feed for calendar programs, and dismissing reminders."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from stalking_clinic.access import POST_ONLY, POSTS, Perm, public, require
from stalking_clinic.calendar_files import CONTENT_TYPE
from stalking_clinic.downloads import download
from stalking_clinic.paging import Page
from stalking_clinic.reminders.services import reminder_dismiss

from ..forms.calendar import CalendarFilterForm
from ..ics import write_calendar
from ..selectors.calendar import (
    Show,
    calendar_courts,
    calendar_feed_of,
    calendar_page,
    feed_events,
)
from ..services.calendar_feed import (
    calendar_feed_replace,
    calendar_feed_revoke,
    calendar_feed_use,
)


def _query(request, **changes) -> str:
    params = request.GET.copy()
    params.pop("apply", None)
    for key, value in changes.items():
        if value:
            params[key] = value
        else:
            params.pop(key, None)
    return "?" + params.urlencode() if params else "?"


@require(Perm.SPO)
def calendar(request):
    filters = CalendarFilterForm(request.GET or None, courts=calendar_courts(request.user))
    data = filters.cleaned_data if filters.is_valid() else {}
    page = calendar_page(
        request.user,
        today=timezone.localdate(),
        show=data.get("show", ""),
        court=data.get("court", ""),
        as_list=data.get("view") == "list",
        week=data.get("week"),
    )
    return render(
        request,
        "spo/calendar.html",
        {
            **page,
            "filters": filters,
            "weeks": Page(
                rows=[],
                previous_link=_query(request, week=page["previous_week"].isoformat(), view=""),
                next_link=_query(request, week=page["next_week"].isoformat(), view=""),
            ),
            "this_week_link": _query(request, week="", view=""),
            "week_view_link": _query(request, view=""),
            "list_view_link": _query(request, view="list", week=""),
            "ics_link": reverse("spo:calendar_ics") + _query(request, view="", week=""),
        },
    )


def _ics_response(events, *, name: str, filename: str | None = None):
    return download(write_calendar(events, name=name), content_type=CONTENT_TYPE, filename=filename)


@require(Perm.SPO)
def calendar_ics(request):
    show = request.GET.get("show", "")
    court = request.GET.get("court", "")
    events = feed_events(request.user, show=show if show in Show.values else "", court=court)
    return _ics_response(
        events,
        name="Protection orders",
        filename=f"protection-orders-{timezone.localdate():%Y-%m-%d}.ics",
    )


# Public to the access check, but not open: the secret token in the address is the
# authentication, because calendar programs cannot sign in. An unknown, replaced or revoked
# token, an expired one, or a user who no longer has the role, gets 404 (never a redirect to
# sign in). The token never reaches a log (stalking_clinic.log_redaction).
@public
def calendar_feed(request, token):
    user = calendar_feed_use(token=token, request=request)
    if user is None:
        raise Http404("No such calendar")
    return _ics_response(feed_events(user), name=f"Protection orders ({settings.FORCE_NAME})")


@require(Perm.SPO, methods=POSTS)
def calendar_feed_new(request):
    """GET: what replacing the address means. POST: a new address, shown this once only."""
    if request.method == "POST":
        token = calendar_feed_replace(user=request.user, request=request)
        feed_url = settings.SITE_URL + reverse("spo:calendar_feed", kwargs={"token": token})
        return render(
            request,
            "spo/calendar_feed.html",
            {"feed_url": feed_url, "webcal_url": "webcal://" + feed_url.split("://", 1)[1]},
        )
    return render(request, "spo/calendar_feed.html", {"feed": calendar_feed_of(request.user)})


@require(Perm.SPO, methods=POSTS)
def calendar_feed_revoke_view(request):
    """GET: what revoking the address means. POST: the owner's own address stops working."""
    if request.method == "POST":
        if calendar_feed_revoke(user=request.user, request=request):
            messages.success(request, "Your calendar address is revoked: it no longer works.")
        return redirect("spo:calendar")
    return render(
        request, "spo/calendar_feed_revoke.html", {"feed": calendar_feed_of(request.user)}
    )


@require(Perm.SPO, methods=POST_ONLY)
def reminder_dismiss_view(request, pk):
    """Only the recipient dismisses a reminder: anyone else's, or one of another area's, is 404."""
    if not reminder_dismiss(reminder_id=pk, by=request.user, namespace="spo"):
        raise Http404("No such reminder")
    return redirect(reverse("spo:calendar") + "#reminders")


urlpatterns = [
    path("calendar/", calendar, name="calendar"),
    path("calendar/download.ics", calendar_ics, name="calendar_ics"),
    path("calendar/feed/<str:token>.ics", calendar_feed, name="calendar_feed"),
    path("calendar/address/", calendar_feed_new, name="calendar_feed_new"),
    path("calendar/address/revoke/", calendar_feed_revoke_view, name="calendar_feed_revoke"),
    path("reminders/<int:pk>/dismiss/", reminder_dismiss_view, name="reminder_dismiss"),
]
