from django import template
from django.urls import reverse

from stalking_clinic.access import Perm, can

register = template.Library()

_ITEMS = [
    ("Triage queue", "referrals:queue", Perm.TRIAGE),
    ("Cases", "referrals:case_list", Perm.CASES_VIEW),
    ("Make a referral", "referrals:referral_new", Perm.REFERRAL_CREATE),
    ("My referrals", "referrals:mine", Perm.REFERRAL_CREATE),
    ("Log findings", "referrals:findings", Perm.FINDINGS_REVIEW),
    ("Police logs", "referrals:log_imports", Perm.LOGS_IMPORT),
]


@register.inclusion_tag("referrals/includes/subnav.html", takes_context=True)
def referrals_subnav(context):
    """The MoJ sub-navigation of the referrals area, showing only what the user may use."""
    request = context["request"]
    current = request.resolver_match.view_name if request.resolver_match else ""
    return {
        "items": [
            {"label": label, "url": reverse(name), "current": name == current}
            for label, name, perm in _ITEMS
            if can(request.user, perm)
        ]
    }
