"""Closed cases' records due for review (Management of Police Information)."""

from django.db.models import QuerySet

from ..models import Case


def records_due(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The closed cases the daily job marked due for review, longest waiting first."""
    return (
        cases.filter(status=Case.Status.CLOSED, review_due_since__isnull=False)
        .select_related("owner")
        .order_by("review_on", "pk")
    )
