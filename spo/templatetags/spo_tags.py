"""The protection orders area's sub-navigation and stage tags."""

from django import template
from django.urls import NoReverseMatch, reverse

from stalking_clinic.access import Perm, can

register = template.Library()

_ITEMS = [
    ("Applications", "spo:index", Perm.SPO),
    ("Orders", "spo:orders", Perm.SPO_ORDERS_VIEW),
    ("Calendar", "spo:calendar", Perm.SPO),
]

_STAGE_COLOURS = {
    "considered": "grey",
    "drafting": "light-blue",
    "legal_review": "light-blue",
    "applied": "blue",
    "interim": "yellow",
    "full_hearing": "orange",
    "granted": "green",
    "refused": "red",
    "withdrawn": "grey",
}


@register.inclusion_tag("spo/includes/subnav.html", takes_context=True)
def spo_subnav(context):
    """The MoJ sub-navigation of the area, showing only what the user may use."""
    request = context["request"]
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = []
    for label, name, perm in _ITEMS:
        if not can(request.user, perm):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # a page another part of the area has not added yet
            continue
        items.append({"label": label, "url": url, "current": name == current})
    return {"items": items}


@register.inclusion_tag("spo/includes/stage_tag.html")
def stage_tag(application):
    return {
        "label": application.get_stage_display(),
        "colour": _STAGE_COLOURS.get(application.stage, "grey"),
    }
