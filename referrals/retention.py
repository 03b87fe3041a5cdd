"""Which Management of Police Information (MoPI) retention group a closed case's record is in,
and when it is due for review.

The College of Policing's Authorised Professional Practice on information management
(retention, review and disposal) puts police records in three groups:

- **Group 1, "certain public protection matters"**: records of people who have been convicted of,
  charged with or suspected of serious specified offences (Criminal Justice Act 2003 Schedule 15
  lists s.4A Protection from Harassment Act 1997), or who are, or may be, a risk to the public.
  "Retained until the subject has reached 100 years of age", reviewed every 10 years, and kept
  while the person remains a risk.
- **Group 2, "other public protection matters"**: other sexual, violent or serious offences and
  matters of public protection (stalking and harassment generally), reviewed after 10 years.
- **Group 3, "all other offences"** (and records where no crime was recorded): reviewed after 6
  years.

How a clinic case maps onto them (``retention_group_for``), from the case's own data:

- Group 1: a stalking protection order made on the case (an ``SPO_MADE`` outcome), a conviction
  for s.4A (stalking involving fear of violence or serious alarm or distress), or a case whose
  decided risk is high when it closes (a person who "may be a risk to the public").
- Group 2: any other crime recorded, charge, caution, conviction or restraining order for a
  stalking or harassment offence (s.2, s.2A, s.4, s.4A PHA 1997, or s.8 SPA 2019 breach).
- Group 3: everything else: no crime recorded, only "another offence", or advice only.

The review interval of each group is a setting (``RETENTION_REVIEW_YEARS``,
``RETENTION_GROUP_1_REVIEW_YEARS`` … in the environment); the person closing a case sees the
group, why, and the date it gives, and may change the date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from .models import STALKING_OFFENCES, CriminalJusticeOutcome, Offence, RetentionGroup, RiskLevel

Kind = CriminalJusticeOutcome.Kind

# Offences that make a recorded crime a public protection matter (Group 2 at least).
PUBLIC_PROTECTION_OFFENCES = frozenset(
    {*STALKING_OFFENCES, Offence.HARASSMENT, Offence.FEAR_OF_VIOLENCE, Offence.SPO_BREACH}
)
_CRIME_KINDS = frozenset(
    {Kind.CRIME_RECORDED, Kind.CHARGED, Kind.CAUTION, Kind.CONVICTED, Kind.RESTRAINING_ORDER}
)


@dataclass(frozen=True)
class Retention:
    group: RetentionGroup
    why: str
    review_on: datetime.date

    @property
    def years(self) -> int:
        return review_years(self.group)


def review_years(group: str) -> int:
    return settings.RETENTION_REVIEW_YEARS[RetentionGroup(group).value]


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The ``years``-th anniversary of ``day`` (1 March for a 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return datetime.date(day.year + years, 3, 1)


def retention_group_for(case) -> tuple[RetentionGroup, str]:
    """The case's group and why, from its criminal justice outcomes and its decided risk."""
    outcomes = list(case.outcomes.values_list("kind", "offence"))
    if any(kind == Kind.SPO_MADE for kind, _ in outcomes):
        return RetentionGroup.GROUP_1, "A stalking protection order was made."
    if (Kind.CONVICTED, Offence.STALKING_FEAR) in outcomes:
        return RetentionGroup.GROUP_1, "Convicted of s.4A stalking (a serious specified offence)."
    if case.risk_level == RiskLevel.HIGH:
        return RetentionGroup.GROUP_1, "The case's risk is high: the suspect may be a risk."
    if any(k in _CRIME_KINDS and o in PUBLIC_PROTECTION_OFFENCES for k, o in outcomes):
        return RetentionGroup.GROUP_2, "A stalking or harassment offence was recorded."
    return RetentionGroup.GROUP_3, "No stalking or harassment offence was recorded."


def retention_for(case, closed_on: datetime.date | None = None) -> Retention:
    """The case's group, why, and the date its record is due for review if closed on
    ``closed_on`` (today by default)."""
    group, why = retention_group_for(case)
    closed_on = closed_on or timezone.localdate()
    return Retention(group, why, years_after(closed_on, review_years(group)))
