"""The tactical lead's home page: accounts that opened unusually many records (audit/unusual.py)."""

from django.urls import reverse

from stalking_clinic.accounts.models import Role
from stalking_clinic.home.work import WorkItem, work_provider

from .unusual import to_review


@work_provider
def unusual_access(user):
    if Role.TACTICAL_LEAD not in user.roles:
        return []
    alerts = list(to_review()[:20])
    accounts = sorted({alert.user.username for alert in alerts})
    return [
        WorkItem(
            "Unusual access to review",
            len(alerts),
            reverse("audit:unusual_access"),
            urgent=True,
            hint="Accounts: " + ", ".join(accounts) if accounts else "",
        )
    ]
