"""The protection orders area's sub-navigation."""

from django import template

from stalking_clinic.access import Perm
from stalking_clinic.home.navigation import subnav

register = template.Library()

_ITEMS = [
    ("Applications", "spo:index", Perm.SPO),
    ("Orders", "spo:orders", Perm.SPO_ORDERS_VIEW),
    ("Calendar", "spo:calendar", Perm.SPO),
]


@register.inclusion_tag("includes/subnav.html", takes_context=True)
def spo_subnav(context):
    """The MoJ sub-navigation of the area, showing only what the user may use."""
    return subnav(context["request"], "Protection orders", _ITEMS)
