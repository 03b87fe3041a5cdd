""" "My work": what is waiting for the signed-in user, gathered from every app.

Each app registers a provider with ``@work_provider``; a provider takes the user and returns
``WorkItem``s (or nothing). The home page shows them, urgent ones first (those marked ``top``
above all), so a new app adds to the home page without the home page knowing about it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from stalking_clinic.access import Perm, can


@dataclass(frozen=True)
class WorkItem:
    label: str
    count: int
    url: str
    urgent: bool = False
    hint: str = ""
    # Shown above everything else: something just given to this person (a case allocated).
    top: bool = False


Provider = Callable[[object], Iterable[WorkItem]]
_providers: list[Provider] = []


def work_provider(provider: Provider) -> Provider:
    _providers.append(provider)
    return provider


def work_for(user) -> list[WorkItem]:
    items = [item for provider in _providers for item in provider(user) if item.count]
    return sorted(items, key=lambda item: (not item.top, not item.urgent, item.label))


@work_provider
def _administration(user):
    """Administrators: accounts that cannot work yet, and failed sign-ins to look at."""
    if not can(user, Perm.USERS_MANAGE):
        return []
    from stalking_clinic.accounts.models import User
    from stalking_clinic.audit.models import AuditEvent

    without_role = User.objects.filter(is_active=True, roles=[]).count()
    since = timezone.now() - datetime.timedelta(hours=24)
    failed = AuditEvent.objects.filter(
        action=AuditEvent.Action.SIGN_IN_FAILED, at__gte=since
    ).count()
    return [
        WorkItem(
            "Active accounts with no role",
            without_role,
            reverse("admin:accounts_user_changelist"),
            hint="They can sign in but use nothing until given a role.",
        ),
        WorkItem(
            "Failed sign-ins in the last 24 hours",
            failed,
            reverse("audit:search") + "?action=sign_in_failed",
            urgent=failed >= 10,
        ),
    ]
