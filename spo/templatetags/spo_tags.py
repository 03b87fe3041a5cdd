"""The protection orders area's sub-navigation and stage tags."""

from django import template

from stalking_clinic.access import Perm
from stalking_clinic.home.navigation import subnav

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


@register.inclusion_tag("includes/subnav.html", takes_context=True)
def spo_subnav(context):
    """The MoJ sub-navigation of the area, showing only what the user may use."""
    return subnav(context["request"], "Protection orders", _ITEMS)


@register.inclusion_tag("spo/includes/stage_tag.html")
def stage_tag(application):
    return {
        "label": application.get_stage_display(),
        "colour": _STAGE_COLOURS.get(application.stage, "grey"),
    }
