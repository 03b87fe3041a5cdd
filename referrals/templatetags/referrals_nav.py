"""The referrals area's sub-navigation tag (``{% referrals_subnav %}``)."""

from django import template

from stalking_clinic.access import Perm
from stalking_clinic.home.navigation import subnav

register = template.Library()

_ITEMS = [
    ("Triage queue", "referrals:queue", Perm.TRIAGE),
    ("Cases", "referrals:case_list", Perm.CASES_VIEW),
    ("Caseloads", "referrals:caseloads", Perm.TRIAGE),
    ("Make a referral", "referrals:referral_new", Perm.REFERRAL_CREATE),
    ("My referrals", "referrals:mine", Perm.REFERRAL_CREATE),
    ("Log findings", "referrals:findings", Perm.FINDINGS_REVIEW),
    ("Police logs", "referrals:log_imports", Perm.LOGS_IMPORT),
]


@register.inclusion_tag("includes/subnav.html", takes_context=True)
def referrals_subnav(context):
    """The MoJ sub-navigation of the area, showing only what the user may use."""
    return subnav(context["request"], "Referrals and cases", _ITEMS)
