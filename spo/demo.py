"""Demo data for the protection orders area: applications at every stage on the demo high-risk
cases, with interim and full orders, notifications (one overdue), breaches and hearings in the
coming weeks. Everything is relative to today, so the demo always has something due.

Built through the same services the screens use; only the dates are moved into the past
afterwards, as the referrals demo does. Seeding again changes nothing: if the demo cases already
have applications, this does nothing.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from referrals.models import Case, RiskLevel, Share
from referrals.services.cases import case_share
from stalking_clinic.accounts.models import Agency, User
from stalking_clinic.demo.users import demo_agency

from .deadlines import LONDON, full_order_earliest_end, local_date
from .models import Application, Hearing, Notification, Order, StageChange
from .services.applications import application_move, application_start, application_update
from .services.breaches import breach_outcome_record, breach_record
from .services.conditions import condition_add
from .services.hearings import hearing_add, hearing_update
from .services.notifications import notification_record
from .services.orders import order_mark_served, order_record

Stage = Application.Stage
HEARING, OUTCOME = Hearing.Kind, Hearing.Outcome
COURTS = [
    "Demonshire Magistrates' Court (demo)",
    "Northtown Magistrates' Court (demo)",
]
PROHIBITIONS = [
    "Not to contact the protected person directly or indirectly, by any means.",
    "Not to enter the exclusion zone shown on the attached map.",
    "Not to post or publish anything about the protected person on social media.",
]
REQUIREMENTS = ["To attend and complete an assessment of suitability for a stalking programme."]
TO_COURT = [Stage.DRAFTING, Stage.LEGAL_REVIEW, Stage.APPLIED]


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


class _Seeder:
    def __init__(self, solicitor, officer):
        self.solicitor, self.officer = solicitor, officer
        self.today = timezone.localdate()
        self.seeded_at = timezone.now()

    def days(self, n: int) -> datetime.date:
        return self.today + datetime.timedelta(days=n)

    def start(self, case, *, started: int, kind=Application.Kind.ORDER, order=None, court=0):
        application = application_start(
            case=case,
            by=self.solicitor,
            defendant=order.application.defendant if order else case.suspects.first(),
            protected_people=[case.victim],
            kind=kind,
            order=order,
            court=COURTS[court % len(COURTS)],
            officer_in_case=self.officer,
        )
        application = application_update(
            application=application,
            by=self.solicitor,
            version=application.version,
            court=application.court,
            acts_evidence="Repeated unwanted messages from new accounts; waited outside the "
            "victim's home and workplace (police logs and the victim's statement).",
            risk_evidence="Contact escalated after a police warning; the stalking risk profile "
            "judges persistence and recurrence high.",
            necessity_evidence="Warnings and bail conditions have not stopped the contact; the "
            "victim has moved out of her home.",
            officer_in_case=self.officer,
            protected_people=[case.victim],
        )
        for text in PROHIBITIONS[: 2 if kind == Application.Kind.ORDER else 1]:
            condition_add(application=application, by=self.solicitor, kind="prohibition", text=text)
        if kind == Application.Kind.ORDER:
            condition_add(
                application=application, by=self.solicitor, kind="requirement", text=REQUIREMENTS[0]
            )
        Application.objects.filter(pk=application.pk).update(created_at=_at(self.days(started)))
        application.refresh_from_db()
        self.spread_history(application, until=started)
        return application

    def move(self, application, *stages, reason="Demo progress"):
        for stage in stages:
            application.refresh_from_db()
            application_move(
                application=application,
                by=self.solicitor,
                to_stage=stage,
                reason=reason,
                version=application.version,
            )
        application.refresh_from_db()

    def hearing(self, application, kind, day, *, outcome="", notes="", hour=10):
        hearing = hearing_add(
            application=application,
            by=self.solicitor,
            kind=kind,
            court=application.court,
            starts_at=_at(self.days(day), hour),
        )
        if outcome:
            hearing = hearing_update(
                hearing=hearing,
                by=self.solicitor,
                version=hearing.version,
                kind=kind,
                court=hearing.court,
                starts_at=hearing.starts_at,
                outcome=outcome,
                notes=notes,
            )
        return hearing

    def order(self, application, kind, made: int, *, ends_on=None, until_further_order=False):
        return order_record(
            application=application,
            by=self.solicitor,
            kind=kind,
            made_on=self.days(made),
            ends_on=ends_on,
            until_further_order=until_further_order,
        )

    def served(self, order, day, *, notified: bool = True):
        notification = order_mark_served(order=order, by=self.officer, served_on=self.days(day))
        if notification and notified:
            notification_record(
                notification=notification,
                by=self.officer,
                version=notification.version,
                received_on=notification.starts_on + datetime.timedelta(days=1),
                details="Names: as on the order. Home address given at the station counter.",
                acknowledged_on=notification.starts_on + datetime.timedelta(days=2),
            )
        return notification

    def spread_history(self, application, *, until: int):
        """Date the stage changes made since the last call evenly from the last dated one to
        ``until`` (days from today): the history happened over weeks, not all just now."""
        changes = StageChange.objects.filter(application=application)
        pending = list(changes.filter(at__gte=self.seeded_at).order_by("at", "id"))
        dated = changes.filter(at__lt=self.seeded_at).order_by("at").last()
        first = (local_date(dated.at) - self.today).days if dated else until
        for i, change in enumerate(pending, start=1):
            day = first + round((until - first) * i / len(pending))
            at = _at(self.days(day), 9 + i % 8)
            StageChange.objects.filter(pk=change.pk).update(at=at)
        if application.is_decided:
            last = changes.order_by("at").last()
            Application.objects.filter(pk=application.pk).update(decided_at=last.at)


def seed(command) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=["solicitor", "officer"])}
    cases = list(
        Case.objects.filter(risk_level=RiskLevel.HIGH, status=Case.Status.OPEN)
        .prefetch_related("suspects")
        .order_by("pk")
    )
    cases = [case for case in cases if case.suspects.all()]
    if len(users) < 2 or not cases:
        command.stdout.write("Protection orders demo data: no demo users or high-risk cases.")
        return
    if Application.objects.filter(case__in=cases).exists():
        command.stdout.write("Protection orders demo data already present.")
        return

    s = _Seeder(users["solicitor"], users["officer"])
    case = iter(cases * 10)  # fewer high-risk cases than stages: some cases get two

    s.start(next(case), started=-3)  # only considered so far

    drafting = s.start(next(case), started=-12)
    s.move(drafting, Stage.DRAFTING)
    s.spread_history(drafting, until=-8)

    review = s.start(next(case), started=-20, court=1)
    s.move(review, Stage.DRAFTING, Stage.LEGAL_REVIEW)
    s.spread_history(review, until=-2)

    applied = s.start(next(case), started=-25)
    s.move(applied, *TO_COURT)
    s.spread_history(applied, until=-4)
    s.hearing(applied, HEARING.FIRST, 4)

    # Interim order served nine days ago; the defendant has not notified: overdue.
    interim = s.start(next(case), started=-30, court=1)
    s.move(interim, *TO_COURT)
    s.spread_history(interim, until=-11)
    s.hearing(
        interim, HEARING.INTERIM, -10, outcome=OUTCOME.INTERIM_MADE, notes="Interim order made."
    )
    order = s.order(interim, "interim", -10, ends_on=s.days(25))
    s.served(order, -9, notified=False)
    s.spread_history(interim, until=-10)
    s.hearing(interim, HEARING.FULL, 11, hour=14)

    # At the full hearing stage, with a breach of the interim order awaiting its outcome.
    full_hearing = s.start(next(case), started=-45)
    s.move(full_hearing, *TO_COURT)
    s.spread_history(full_hearing, until=-31)
    s.hearing(full_hearing, HEARING.INTERIM, -30, outcome=OUTCOME.INTERIM_MADE)
    order = s.order(full_hearing, "interim", -30, ends_on=s.days(30))
    s.spread_history(full_hearing, until=-30)
    s.served(order, -29)
    s.move(full_hearing, Stage.FULL_HEARING, reason="Full hearing listed")
    s.spread_history(full_hearing, until=-29)
    s.hearing(
        full_hearing,
        HEARING.DIRECTIONS,
        -12,
        outcome=OUTCOME.ADJOURNED,
        notes="Adjourned for evidence.",
    )
    s.hearing(full_hearing, HEARING.FULL, 18)
    breach_record(
        order=order,
        by=s.officer,
        occurred_on=s.days(-3),
        description="Sent the protected person a message through a friend's social media.",
        log_ref="INC-2026-70000001",
        action_taken="Defendant arrested and interviewed; file to CPS.",
    )

    # Granted: interim then full order, until further order; a breach with its outcome.
    granted_case = next(case)
    granted = s.start(granted_case, started=-200)
    s.move(granted, *TO_COURT)
    s.spread_history(granted, until=-171)
    s.hearing(granted, HEARING.INTERIM, -170, outcome=OUTCOME.INTERIM_MADE)
    interim_order = s.order(granted, "interim", -170, ends_on=s.days(-100))
    s.spread_history(granted, until=-170)
    s.served(interim_order, -169)
    s.hearing(
        granted,
        HEARING.FULL,
        -120,
        outcome=OUTCOME.GRANTED,
        notes="Full order until further order.",
    )
    full_order = s.order(granted, "full", -120, until_further_order=True)
    s.spread_history(granted, until=-120)
    s.served(full_order, -119)
    breach = breach_record(
        order=full_order,
        by=s.officer,
        occurred_on=s.days(-60),
        description="Seen inside the exclusion zone outside the protected person's workplace.",
        log_ref="INC-2026-70000002",
        action_taken="Arrested; charged with breach of a stalking protection order.",
    )
    breach_outcome_record(
        breach=breach,
        by=s.solicitor,
        version=breach.version,
        outcome="Pleaded guilty; 16 weeks' imprisonment suspended for 12 months.",
        outcome_recorded_on=s.days(-30),
    )
    # The protected person has moved: the police apply to vary the exclusion zone.
    variation = s.start(
        granted_case, started=-14, kind=Application.Kind.VARIATION, order=full_order
    )
    s.move(variation, *TO_COURT, reason="Protected person moved: exclusion zone to change")
    s.spread_history(variation, until=-2)
    s.hearing(variation, HEARING.VARIATION, 9)
    probation = Agency.objects.filter(name=demo_agency(Agency.Kind.PROBATION)).first()
    if probation:
        share = Share.objects.filter(case=granted_case, agency=probation).first()
        case_share(
            case=granted_case,
            agency=probation,
            sections=sorted({*(share.sections if share else ["summary"]), Share.Section.ORDERS}),
            reason="Probation supervise the defendant and help enforce the order.",
            by=s.solicitor,
        )

    # A two-year order ending within the month and still needed: renewal.
    renewal_case = next(case)
    expiring = s.start(renewal_case, started=-760, court=1)
    s.move(expiring, *TO_COURT)
    s.spread_history(expiring, until=-701)
    s.hearing(expiring, HEARING.FULL, -700, outcome=OUTCOME.GRANTED)
    two_year = s.order(expiring, "full", -700, ends_on=full_order_earliest_end(s.days(-700)))
    s.served(two_year, -699)
    s.spread_history(expiring, until=-700)
    renewal = s.start(renewal_case, started=-10, kind=Application.Kind.RENEWAL, order=two_year)
    s.move(renewal, Stage.DRAFTING, Stage.LEGAL_REVIEW)
    s.spread_history(renewal, until=-1)
    s.hearing(renewal, HEARING.RENEWAL, 20)

    refused = s.start(next(case), started=-90)
    s.move(refused, *TO_COURT)
    s.spread_history(refused, until=-60)
    s.hearing(
        refused,
        HEARING.FULL,
        -40,
        outcome=OUTCOME.REFUSED,
        notes="Test (c) not met on the evidence.",
    )
    s.move(refused, Stage.REFUSED, reason="The court was not satisfied the order was necessary.")
    s.spread_history(refused, until=-40)

    withdrawn = s.start(next(case), started=-50)
    s.move(withdrawn, Stage.DRAFTING)
    s.spread_history(withdrawn, until=-45)
    s.move(withdrawn, Stage.WITHDRAWN, reason="The defendant was remanded in custody.")
    s.spread_history(withdrawn, until=-35)

    command.stdout.write(
        "Protection orders demo data: "
        f"{Application.objects.count()} applications, {Order.objects.count()} orders, "
        f"{Notification.objects.filter(received_on__isnull=True).count()} awaited notifications."
    )
