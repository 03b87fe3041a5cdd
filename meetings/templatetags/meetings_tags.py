"""The meetings area's sub-navigation.

Use: ``{% load meetings_tags %}{% meetings_subnav %}``.
"""

from django import template

from stalking_clinic.access import Perm
from stalking_clinic.home.navigation import subnav

register = template.Library()

_ITEMS = [
    ("Meetings", "meetings:index", Perm.MEETINGS),
    ("Schedule a meeting", "meetings:meeting_new", Perm.MEETINGS_MANAGE),
    ("My actions", "meetings:my_actions", Perm.ACTIONS),
    ("My agency's actions", "meetings:agency_actions", Perm.ACTIONS),
]


@register.inclusion_tag("includes/subnav.html", takes_context=True)
def meetings_subnav(context):
    """The MoJ sub-navigation of the area, showing only what the user may use."""
    return subnav(context["request"], "Meetings", _ITEMS)
