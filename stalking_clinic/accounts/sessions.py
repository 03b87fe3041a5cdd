"""Sessions end after a time without activity, and in any case some hours after signing in.

OWASP ASVS 5.0 (7.3.1, 7.3.2): a session ends after ``SESSION_IDLE_SECONDS`` without activity
(30 minutes by default) and ``SESSION_COOKIE_AGE`` after signing in (8 hours), whatever happens in
between. Both are enforced here, on the server: Django's own session expiry moves on with every
save of the session, so on its own it is neither.

Activity is a request to a view, except views marked ``@background_request`` (the session warning
asking how long is left, a progress bar polling): a page left open that polls by itself is not a
person at work. The page warns before the end (``static/js/session-timeout.mjs``) and offers to
stay signed in (``keep_alive``).
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

SIGNED_IN_AT = "clinic_signed_in_at"
LAST_ACTIVITY = "clinic_last_activity"
# The tag the sign-in page's banner carries, so the page's script knows that the session ended
# by itself (and keeps what the user had typed for them to find after signing in again).
ENDED_TAG = "session-ended"


def background_request(view):
    """Mark a view whose requests do not count as activity (a page asking by itself)."""
    view.session_background = True
    return view


def _now() -> float:
    return time.time()


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    if seconds % 60 == 0:
        minutes = seconds // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def idle_message() -> str:
    return f"You were signed out after {_duration(settings.SESSION_IDLE_SECONDS)} without activity."


def age_message() -> str:
    return (
        f"You were signed out because you had been signed in for "
        f"{_duration(settings.SESSION_COOKIE_AGE)}. Sign in again to carry on."
    )


def seconds_left(session, now: float | None = None) -> int:
    """How long the session has before it ends, by inactivity or by age, whichever comes first."""
    now = _now() if now is None else now
    last = session.get(LAST_ACTIVITY, now)
    signed_in = session.get(SIGNED_IN_AT, now)
    idle_left = settings.SESSION_IDLE_SECONDS - (now - last)
    age_left = settings.SESSION_COOKIE_AGE - (now - signed_in)
    # Rounded up: 0 only once the session has ended (the middleware ends it on that request).
    return max(0, math.ceil(min(idle_left, age_left)))


def record_activity(session, now: float | None = None) -> None:
    session[LAST_ACTIVITY] = _now() if now is None else now


@receiver(user_logged_in)
def _start_clocks(sender, request, user, **kwargs):
    now = _now()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_ACTIVITY] = now


def _why_ended(session, now: float) -> str | None:
    signed_in = session.get(SIGNED_IN_AT)
    last = session.get(LAST_ACTIVITY)
    if signed_in is not None and now - signed_in >= settings.SESSION_COOKIE_AGE:
        return age_message()
    if last is not None and now - last >= settings.SESSION_IDLE_SECONDS:
        return idle_message()
    return None


def _page_posted_from(request) -> str:
    """Where a form posted after the session ended was typed: the page to come back to after
    signing in again (its script restores what was typed). The Referer, if it is this site's."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        scheme_host = f"{request.scheme}://{request.get_host()}"
        return referer.removeprefix(scheme_host) or "/"
    return reverse(settings.LOGIN_REDIRECT_URL)


class SessionTimeoutMiddleware:
    """Ends a session that has been idle or signed in too long, with a message saying why; records
    each request to a view (not ``@background_request``) as activity.

    Goes after the authentication and message middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = _now()
            session = request.session
            session.setdefault(SIGNED_IN_AT, now)  # a session from before these rules
            session.setdefault(LAST_ACTIVITY, now)
            if reason := _why_ended(session, now):
                logout(request)
                messages.info(request, reason, extra_tags=ENDED_TAG)
                if request.method not in {"GET", "HEAD"}:
                    # A form sent after the end: back to the page it came from after signing in
                    # (a button's endpoint takes no GET), where the browser restores the input.
                    return redirect_to_login(_page_posted_from(request))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or getattr(view_func, "session_background", False):
            return None
        now = _now()
        # Written at most once per 1/60 of the timeout (30 s in 30 minutes), not on every request:
        # the page is told the exact time left (seconds_left), so it warns in time regardless.
        if now - request.session.get(LAST_ACTIVITY, 0) >= settings.SESSION_IDLE_SECONDS / 60:
            record_activity(request.session, now)
        return None
