"""The training area's sub-navigation.

Use: ``{% load training_tags %}{% training_subnav %}``.
"""

from django import template

from stalking_clinic.access import Perm
from stalking_clinic.home.navigation import subnav

from ..access import trainee_of

register = template.Library()


def _has_trainee_record(user) -> bool:
    return trainee_of(user) is not None


_ITEMS = [
    ("Training", "training:index", Perm.TRAINING),
    ("My training", "training:my_training", Perm.TRAINING, _has_trainee_record),
    ("My team", "training:my_team", Perm.TRAINING_BOOK, _has_trainee_record),
    ("Sessions", "training:sessions", Perm.TRAINING),
    ("Courses", "training:courses", Perm.TRAINING),
    ("Officers", "training:officers", Perm.TRAINING_MANAGE),
    ("Compliance", "training:compliance", Perm.TRAINING_COMPLIANCE),
    ("Champions", "training:champions", Perm.TRAINING),
    ("CPD log", "training:cpd", Perm.CPD),
]


@register.inclusion_tag("includes/subnav.html", takes_context=True)
def training_subnav(context):
    """The MoJ sub-navigation of the area, showing only what the user may use."""
    return subnav(context["request"], "Training", _ITEMS)
