"""``{% session_timeout_warning %}``: the session warning dialog of every signed-in page."""

from django import template
from django.conf import settings

from ..sessions import seconds_left

register = template.Library()


@register.inclusion_tag("includes/session_timeout.html", takes_context=True)
def session_timeout_warning(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"signed_in": False}
    return {
        "signed_in": True,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "seconds_left": seconds_left(request.session),
        "idle_seconds": settings.SESSION_IDLE_SECONDS,
        "warning_seconds": settings.SESSION_IDLE_WARNING_SECONDS,
    }
