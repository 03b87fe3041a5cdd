"""What the protection orders area puts on people's home pages: their reminders.

Registered by importing this module once the apps are ready (``SpoConfig.ready``).
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from stalking_clinic.access import Perm, can
from stalking_clinic.home.work import WorkItem, work_provider
from stalking_clinic.reminders.selectors import open_reminders


@work_provider
def reminders_work(user):
    """The user's reminders not yet dismissed; those whose date has passed are urgent."""
    if not can(user, Perm.SPO):
        return []
    counts = open_reminders(user, namespace="spo").aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(event_at__lt=timezone.now()))
    )
    url = reverse("spo:calendar") + "#reminders"
    return [
        WorkItem(
            "Protection order reminders past their date",
            counts["overdue"],
            url,
            urgent=True,
            hint="Dismiss each once it is dealt with.",
        ),
        WorkItem("Protection order reminders", counts["total"] - counts["overdue"], url),
    ]
