"""Reads of a meeting's agenda: the cases to suggest for it (whose risk rose since last
discussed, or high-risk and not discussed for weeks), and the agenda page's content."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.db.models import Case as SqlCase
from django.db.models import (
    CharField,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.dateformat import format as date_format

from referrals.models import Case, RiskLevel
from referrals.models.choices import RISK_RANK

from ..models import AgendaItem, Meeting

SuggestionKind = Literal["not_discussed", "risk_rose"]


@dataclass
class Suggestion:
    """A case the coordinator may want on the agenda, and why."""

    case: Case
    reason: str
    kind: SuggestionKind


def _rank(expression: str) -> SqlCase:
    """RISK_RANK of a risk level, in SQL."""
    return SqlCase(
        *(When(**{expression: level}, then=Value(rank)) for level, rank in RISK_RANK.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


def _day(at: datetime.datetime) -> str:
    return date_format(timezone.localtime(at), "j F Y")


def _label(level: str) -> str:
    return RiskLevel(level).label.lower() if level in RiskLevel.values else "no risk level"


def agenda_suggestions(meeting: Meeting, *, weeks: int | None = None) -> list[Suggestion]:
    """Cases to suggest for ``meeting``'s agenda, not yet on it:

    - "cases whose risk rose since last discussed": open cases whose risk now ranks above the
      risk agreed at their last discussion (or, if none was agreed, their risk when put on that
      agenda);
    - "high-risk cases not discussed in a configurable number of weeks": open high-risk cases
      with no discussion in the last ``weeks`` weeks (default ``MEETINGS_REVIEW_WEEKS``), or
      never discussed.

    A case meeting both rules is suggested once, as risen. Risen cases come first, then those
    never discussed, then the longest undiscussed. One query, however many cases.
    """
    if weeks is None:
        weeks = settings.MEETINGS_REVIEW_WEEKS
    since = timezone.now() - datetime.timedelta(weeks=weeks)
    last = AgendaItem.objects.filter(case=OuterRef("pk"), discussed_at__isnull=False).order_by(
        "-discussed_at", "-id"
    )
    cases = (
        Case.objects.filter(status=Case.Status.OPEN)
        .exclude(pk__in=AgendaItem.objects.filter(meeting=meeting).values("case_id"))
        .annotate(
            last_discussed_at=Subquery(last.values("discussed_at")[:1]),
            last_risk=Subquery(
                last.annotate(
                    risk=Coalesce(
                        NullIf("risk_agreed", Value("")), "risk_at_agenda", output_field=CharField()
                    )
                ).values("risk")[:1]
            ),
        )
        .annotate(rank_now=_rank("risk_level"), rank_then=_rank("last_risk"))
        .filter(
            Q(last_discussed_at__isnull=False, rank_now__gt=F("rank_then"))
            | (
                Q(risk_level=RiskLevel.HIGH)
                & (Q(last_discussed_at__isnull=True) | Q(last_discussed_at__lt=since))
            )
        )
        .select_related("victim", "owner")
        .order_by("pk")
    )
    risen: list[Suggestion] = []
    never: list[Suggestion] = []
    overdue: list[tuple[datetime.datetime, Suggestion]] = []
    for case in cases:
        if case.last_discussed_at is not None and case.rank_now > case.rank_then:
            risen.append(
                Suggestion(
                    case=case,
                    reason=(
                        f"Risk rose from {_label(case.last_risk)} to {_label(case.risk_level)} "
                        f"since discussed on {_day(case.last_discussed_at)}"
                    ),
                    kind="risk_rose",
                )
            )
        elif case.last_discussed_at is None:
            never.append(
                Suggestion(case=case, reason="High risk; never discussed", kind="not_discussed")
            )
        else:
            overdue.append(
                (
                    case.last_discussed_at,
                    Suggestion(
                        case=case,
                        reason=f"High risk; not discussed since {_day(case.last_discussed_at)}",
                        kind="not_discussed",
                    ),
                )
            )
    risen.sort(key=lambda s: (-s.case.rank_now, s.case.last_discussed_at))
    overdue.sort(key=lambda pair: pair[0])
    return [*risen, *never, *(suggestion for _, suggestion in overdue)]


def agenda_page(meeting: Meeting) -> dict:
    """The agenda page of ``meeting``: its cases in order, the suggestions not yet on it, and
    which cases are on it (``on_agenda``, for the case picker to leave out)."""
    items = list(meeting.agenda.select_related("case", "case__victim").order_by("position", "id"))
    on_agenda = {item.case_id for item in items}
    return {
        "meeting": meeting,
        "items": items,
        "suggestions": [s for s in agenda_suggestions(meeting) if s.case.pk not in on_agenda],
        "on_agenda": on_agenda,
    }
