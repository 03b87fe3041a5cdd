"""The protection orders calendar: the page (by week or as a list), its iCalendar download, the
secret subscription feed for calendar programs, and dismissing reminders."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from stalking_clinic.access import Perm, public, require
from stalking_clinic.calendar_files import CONTENT_TYPE
from stalking_clinic.paging import Page
from stalking_clinic.reminders.selectors import open_reminders
from stalking_clinic.reminders.services import reminder_dismiss

from ..calendar import Show, calendar_courts, calendar_events, calendar_feed_of
from ..forms.calendar import CalendarFilterForm
from ..ics import write_calendar
from ..services.calendar_feed import calendar_feed_replace, calendar_feed_use

LIST_DAYS = 90  # the list: today and the next 90 days, with open deadlines already past
FEED_PAST_DAYS = 31  # the .ics: a month back, so last week's hearings stay in the diary …
FEED_FUTURE_DAYS = 3 * 366  # … and three years ahead, past any fixed full order's end


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _query(request, **changes) -> str:
    params = request.GET.copy()
    params.pop("apply", None)
    for key, value in changes.items():
        if value:
            params[key] = value
        else:
            params.pop(key, None)
    return "?" + params.urlencode() if params else "?"


@require_GET
@require(Perm.SPO)
def calendar(request):
    filters = CalendarFilterForm(request.GET or None, courts=calendar_courts(request.user))
    data = filters.cleaned_data if filters.is_valid() else {}
    show, court = data.get("show", ""), data.get("court", "")
    today = timezone.localdate()
    as_list = data.get("view") == "list"
    week = _monday(data.get("week") or today)
    if as_list:
        start, end = today, today + datetime.timedelta(days=LIST_DAYS)
    else:
        start, end = week, week + datetime.timedelta(days=7)
    events = calendar_events(
        request.user, start=start, end=end, show=show, court=court, include_overdue=as_list
    )
    days = [
        (day, [e for e in events if e.on == day])
        for day in (week + datetime.timedelta(days=n) for n in range(7))
    ]
    previous_week, next_week = week - datetime.timedelta(days=7), week + datetime.timedelta(days=7)
    return render(
        request,
        "spo/calendar.html",
        {
            "filters": filters,
            "as_list": as_list,
            "events": events,
            "days": days,
            "today": today,
            "now": timezone.now(),
            "list_days": LIST_DAYS,
            "week": week,
            "week_end": week + datetime.timedelta(days=6),
            "weeks": Page(
                rows=[],
                previous_link=_query(request, week=previous_week.isoformat(), view=""),
                next_link=_query(request, week=next_week.isoformat(), view=""),
            ),
            "this_week_link": _query(request, week="", view=""),
            "week_view_link": _query(request, view=""),
            "list_view_link": _query(request, view="list", week=""),
            "ics_link": reverse("spo:calendar_ics") + _query(request, view="", week=""),
            "reminders": open_reminders(request.user, namespace="spo").only(
                "pk", "message", "event_at", "url"
            ),
            "feed": calendar_feed_of(request.user),
        },
    )


def _ics_response(events, *, name: str, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(write_calendar(events, name=name), content_type=CONTENT_TYPE)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Never kept by a browser or proxy: the calendar is about people at risk.
    response["Cache-Control"] = "no-store"
    return response


def _feed_events(user, *, show: str = "", court: str = ""):
    today = timezone.localdate()
    return calendar_events(
        user,
        start=today - datetime.timedelta(days=FEED_PAST_DAYS),
        end=today + datetime.timedelta(days=FEED_FUTURE_DAYS),
        show=show,
        court=court,
    )


@require_GET
@require(Perm.SPO)
def calendar_ics(request):
    show = request.GET.get("show", "")
    court = request.GET.get("court", "")
    events = _feed_events(request.user, show=show if show in Show.values else "", court=court)
    return _ics_response(
        events,
        name="Protection orders",
        filename=f"protection-orders-{timezone.localdate():%Y-%m-%d}.ics",
    )


# Public to the access check, but not open: the secret token in the address is the
# authentication, because calendar programs cannot sign in. An unknown, replaced or revoked
# token, or a user who no longer has the role, gets 404 (never a redirect to sign in).
@public
@require_GET
def calendar_feed(request, token):
    user = calendar_feed_use(token=token)
    if user is None:
        raise Http404("No such calendar")
    return _ics_response(_feed_events(user), name=f"Protection orders ({settings.FORCE_NAME})")


@require(Perm.SPO)
def calendar_feed_new(request):
    """GET: what replacing the address means. POST: a new address, shown this once only."""
    if request.method == "POST":
        token = calendar_feed_replace(user=request.user)
        feed_url = settings.SITE_URL + reverse("spo:calendar_feed", kwargs={"token": token})
        return render(
            request,
            "spo/calendar_feed.html",
            {"feed_url": feed_url, "webcal_url": "webcal://" + feed_url.split("://", 1)[1]},
        )
    return render(request, "spo/calendar_feed.html", {"feed": calendar_feed_of(request.user)})


@require(Perm.SPO)
@require_POST
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
    path("reminders/<int:pk>/dismiss/", reminder_dismiss_view, name="reminder_dismiss"),
]
