"""The training area's sub-navigation and status tags.

Use: ``{% load training_tags %}{% training_subnav %}``, ``{% booking_status_tag booking %}``,
``{% standing_tag standing %}`` (a ``training.compliance.Standing``).
"""

from django import template
from django.urls import NoReverseMatch, reverse

from stalking_clinic.access import Perm, can

from ..access import trainee_of

register = template.Library()


def _has_trainee_record(user) -> bool:
    return trainee_of(user) is not None


_ITEMS = [
    ("Training", "training:index", Perm.TRAINING, None),
    ("My training", "training:my_training", Perm.TRAINING, _has_trainee_record),
    ("My team", "training:my_team", Perm.TRAINING_BOOK, _has_trainee_record),
    ("Sessions", "training:sessions", Perm.TRAINING, None),
    ("Courses", "training:courses", Perm.TRAINING, None),
    ("Officers", "training:officers", Perm.TRAINING_MANAGE, None),
    ("Compliance", "training:compliance", Perm.TRAINING_COMPLIANCE, None),
    ("Champions", "training:champions", Perm.TRAINING, None),
    ("CPD log", "training:cpd", Perm.CPD, None),
]

_BOOKING_COLOURS = {
    "booked": "blue",
    "waiting": "yellow",
    "attended": "green",
    "absent": "red",
    "cancelled": "grey",
}
_STANDING_COLOURS = {
    "completed": "green",
    "due_soon": "yellow",
    "overdue": "orange",
    "untrained": "red",
}


@register.inclusion_tag("training/subnav.html", takes_context=True)
def training_subnav(context):
    """The MoJ sub-navigation of the area, showing only what the user may use."""
    request = context["request"]
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = []
    for label, name, perm, also in _ITEMS:
        if not can(request.user, perm) or (also is not None and not also(request.user)):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # a page another part of the area has not added yet
            continue
        items.append({"label": label, "url": url, "current": name == current})
    return {"items": items}


@register.inclusion_tag("training/tag.html")
def booking_status_tag(booking):
    return {"label": booking.get_status_display(), "colour": _BOOKING_COLOURS[booking.status]}


@register.inclusion_tag("training/tag.html")
def standing_tag(standing):
    return {"label": standing.label, "colour": _STANDING_COLOURS[standing.value]}
