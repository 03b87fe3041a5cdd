"""What the meetings area puts on people's home pages: the actions they and their agency own.

Registered by importing this module once the apps are ready (``MeetingsConfig.ready``).
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from stalking_clinic.access import Perm, can
from stalking_clinic.home.work import WorkItem, work_provider

from .access import actions_visible_to
from .models import Action


@work_provider
def actions_work(user):
    """The user's open actions and, for an agency's members, their agency's (on the cases they
    may see): one query. Overdue ones make the item urgent."""
    if not can(user, Perm.ACTIONS):
        return []
    # The coordinator and tactical lead see every agency's actions on their own page; their home
    # page shows only what they own.
    agency_id = None if can(user, Perm.MEETINGS_MANAGE) else user.agency_id
    overdue = Q(due_on__lt=timezone.localdate())
    mine = Q(owner=user)
    agency = Q(owner_agency_id=agency_id)
    aggregates = {
        "mine": Count("pk", filter=mine),
        "mine_overdue": Count("pk", filter=mine & overdue),
    }
    if agency_id:
        aggregates["agency"] = Count("pk", filter=agency)
        aggregates["agency_overdue"] = Count("pk", filter=agency & overdue)
    counts = (
        actions_visible_to(user)
        .filter(mine | agency if agency_id else mine, status__in=Action.OPEN)
        .aggregate(**aggregates)
    )
    items = [
        WorkItem(
            "My actions",
            counts["mine"],
            reverse("meetings:my_actions"),
            urgent=bool(counts["mine_overdue"]),
            hint=_overdue_hint(counts["mine_overdue"]),
        )
    ]
    if agency_id:
        items.append(
            WorkItem(
                "My agency's actions",
                counts["agency"],
                reverse("meetings:agency_actions"),
                urgent=bool(counts["agency_overdue"]),
                hint=_overdue_hint(counts["agency_overdue"]),
            )
        )
    return items


def _overdue_hint(overdue: int) -> str:
    if not overdue:
        return ""
    return f"{overdue} overdue." if overdue > 1 else "1 overdue."
