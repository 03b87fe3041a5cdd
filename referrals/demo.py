"""Demo data for the referrals area: a realistic, obviously fictional clinic caseload.

Built through the same services the screens use, so demo cases look exactly like real ones: a
queue of waiting referrals (some past the triage target), triaged cases at every risk level,
assessments, safety plans, the victim's voice, and cases shared with the demo partner agencies.
"""

import csv
import datetime
import random

from django.core.management import call_command
from django.utils import timezone

from stalking_clinic.accounts.models import Agency, User
from stalking_clinic.demo.users import demo_agency

from .models import (
    AgencyReferral,
    Allocation,
    Area,
    Case,
    CaseNote,
    CaseStatusChange,
    CloseReason,
    CriminalJusticeOutcome,
    Offence,
    Person,
    Referral,
    Relationship,
    RiskAssessment,
    RiskDecision,
    RiskLevel,
    SafetyActionChange,
    Share,
    TriageDecision,
    VictimVoice,
)
from .selectors.assessments import current_question_set
from .services.allocation import case_opened_by
from .services.assessments import assessment_record
from .services.case_status import case_close, case_reopen, default_closed_review_on
from .services.cases import case_share
from .services.outcomes import outcome_record
from .services.people import person_find_or_create
from .services.referrals import referral_submit
from .services.risk import case_risk_decide, default_review_on
from .services.safety import safety_action_add
from .services.triage import referral_triage
from .services.victim_voice import victim_voice_record

FIRST = [
    "Alex",
    "Sam",
    "Jo",
    "Chris",
    "Robin",
    "Jamie",
    "Charlie",
    "Morgan",
    "Taylor",
    "Casey",
    "Jordan",
    "Riley",
    "Avery",
    "Quinn",
    "Rowan",
    "Sky",
    "Frankie",
    "Harper",
    "Drew",
    "Ellis",
]
LAST = [
    "Example",
    "Sample",
    "Specimen",
    "Placeholder",
    "Testcase",
    "Fictional",
    "Madeup",
    "Pretend",
    "Dummy",
    "Mockley",
]
BEHAVIOUR = [
    (
        "Sends dozens of messages a day from new accounts",
        "Cannot stop talking about the victim",
        "Turns up outside the victim's work",
        "Every day for six weeks",
    ),
    (
        "Follows the victim to the gym",
        "Posts about the victim online constantly",
        "Waits outside the victim's home at night",
        "Three times a week since March",
    ),
    (
        "Contacts the victim's new partner",
        "Has drawn up lists of the victim's routine",
        "Left gifts on the victim's car",
        "Weekly for four months",
    ),
    (
        "Calls the victim's mother to ask where she is",
        "Keeps photos of the victim",
        "Damaged the victim's car",
        "Four incidents this month",
    ),
]
REFERRERS = ["officer", "champion", "supervisor", "isac", "partner_probation"]
DEMO_MARKER = "PD0001"


def _person(n: int, coordinator) -> Person:
    # Suspects are numbered from 500: shift their names so no suspect shares the victim's.
    shift = 11 if n >= 500 else 0
    return person_find_or_create(
        by=coordinator,
        person_ref=f"PD{n:04d}",
        first_name=FIRST[(n * 7 + shift) % len(FIRST)],
        last_name=f"{LAST[(n * 3 + n // 10 + shift) % len(LAST)]} (demo)",
        date_of_birth=datetime.date(1960 + n % 40, 1 + n % 12, 1 + n % 27),
    )


def _sdash_answers(rng, yes: int) -> dict:
    question_set = current_question_set("sdash")
    keys = [q["key"] for q in question_set.questions]
    chosen = set(rng.sample(keys, yes))
    return {key: "yes" if key in chosen else rng.choice(["no", "not_known"]) for key in keys}


def seed(command) -> None:
    if Person.objects.filter(person_ref=DEMO_MARKER).exists():
        command.stdout.write("Referrals demo data already present.")
        return
    call_command("load_question_sets", stdout=command.stdout)
    rng = random.Random(2026)  # noqa: S311  (demo data, not security)
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[*REFERRERS, "coordinator", "tactical_lead", "isac", "isac2"]
        )
    }
    coordinator, isac = users["coordinator"], users["isac"]
    probation = Agency.objects.get(name=demo_agency(Agency.Kind.PROBATION))
    cps = Agency.objects.get(name=demo_agency(Agency.Kind.CPS))
    areas, relationships = list(Area.values), [r for r in Relationship.values if r != "unknown"]
    now = timezone.now()

    # A serial suspect: one person suspected against three different victims.
    serial = _person(900, coordinator)
    referrals = []
    for n in range(1, 71):
        victim = _person(n, coordinator)
        suspect = serial if n in (3, 17, 41) else _person(500 + n, coordinator)
        fixated, obsessive, unwanted, repeated = BEHAVIOUR[n % len(BEHAVIOUR)]
        referrer = users[REFERRERS[n % len(REFERRERS)]]
        referral = referral_submit(
            by=referrer,
            source={"partner_probation": "partner", "isac": "isac", "champion": "champion"}.get(
                referrer.username, "officer"
            ),
            victim=victim,
            suspect=suspect,
            relationship=rng.choice(relationships),
            area=rng.choice(areas),
            fixated=fixated,
            obsessive=obsessive,
            unwanted=unwanted,
            repeated=repeated,
            crime_refs=[f"CR/2026/{9000000 + n:07d}"],
            log_refs=[f"INC-2026-{90000000 + n:08d}"],
            officer_in_case=f"PC {4000 + n} Demo",
            requests=rng.sample(["advice", "clinic_review", "spo"], rng.randint(1, 2)),
            sdash_answers=_sdash_answers(rng, rng.randint(0, 9)) if n % 3 else None,
        )
        # Spread arrivals over the last two months so waiting times vary.
        submitted = now - datetime.timedelta(days=70 - n, hours=rng.randint(0, 8))
        Referral.objects.filter(pk=referral.pk).update(submitted_at=submitted)
        referrals.append(referral)

    outcomes = [
        TriageDecision.Outcome.REFER_ISAC,
        TriageDecision.Outcome.ACCEPT,
        TriageDecision.Outcome.ADVICE,
        TriageDecision.Outcome.REFER_PARTNER,
        TriageDecision.Outcome.NO_FURTHER_ACTION,
        TriageDecision.Outcome.CROSS_BORDER,
    ]
    owners = [coordinator, users["tactical_lead"], isac]
    # The ISAC service's two named advocates share its cases; the latest referral to the service
    # waits for it to allocate one, and the latest allocated case is new to its advocate.
    advocates = [isac, users["isac2"]]
    isac_triaged = [i for i in range(50) if outcomes[i % len(outcomes)] == outcomes[0]]
    # The oldest 50 are triaged; the newest 20 wait in the queue (some past the target).
    for i, referral in enumerate(referrals[:50]):
        referral.refresh_from_db()
        outcome = outcomes[i % len(outcomes)]
        risk = (
            "high"
            if outcome == TriageDecision.Outcome.REFER_ISAC
            else rng.choice(["standard", "medium", "medium", "high"])
        )
        advocate = (
            advocates[isac_triaged.index(i) % 2]
            if i in isac_triaged and i != isac_triaged[-1]
            else None
        )
        decision = referral_triage(
            referral=referral,
            version=referral.version,
            by=coordinator,
            risk_level=risk,
            risk_reasons="Pattern of fixated, unwanted contact; victim frightened.",
            owner=owners[i % len(owners)],
            outcome=outcome,
            advice="Record as s.2A stalking; consider an SPO; complete the S-DASH with the victim."
            if outcome == TriageDecision.Outcome.ADVICE
            # Accepted for clinic management, with advice to the officer in the same decision.
            else "Take a statement covering every incident since January; the clinic will "
            "review the case at its next meeting."
            if outcome == TriageDecision.Outcome.ACCEPT and i == 1
            else "",
            advocate=advocate,
            partner_agency=probation if outcome == TriageDecision.Outcome.REFER_PARTNER else None,
            other_force="Neighbouring Constabulary (demo)"
            if outcome == TriageDecision.Outcome.CROSS_BORDER
            else "",
            other_force_contact="DS Demo Contact, 01234 000000"
            if outcome == TriageDecision.Outcome.CROSS_BORDER
            else "",
            nfa_reason="Single incident; not a course of conduct."
            if outcome == TriageDecision.Outcome.NO_FURTHER_ACTION
            else "",
        )
        case = decision.case
        # Demo history: triaged the day after it arrived, not all at the moment of seeding.
        decided = referral.submitted_at + datetime.timedelta(days=1, hours=2)
        TriageDecision.objects.filter(pk=decision.pk).update(decided_at=decided)
        Case.objects.filter(pk=case.pk).update(created_at=decided)
        Case.objects.filter(pk=case.pk, for_clinic_meeting_since__isnull=False).update(
            for_clinic_meeting_since=decided
        )
        _backdate_risk(case, decided)
        AgencyReferral.objects.filter(case=case).update(referred_at=decided)
        if advocate is not None:
            Allocation.objects.filter(case=case).update(at=decided)
            if i != isac_triaged[-2]:
                case_opened_by(case, advocate)  # the advocate has opened the case since
                AgencyReferral.objects.filter(case=case).update(
                    advocate_seen_at=decided + datetime.timedelta(hours=3)
                )
            AgencyReferral.objects.filter(case=case).update(advocate_allocated_at=decided)
        CaseNote.objects.filter(case=case).update(created_at=decided)
        if outcome == TriageDecision.Outcome.REFER_ISAC:
            if advocate is not None:
                _isac_work(rng, case, advocate, start=decided)
            if i % 4 == 0:
                case_share(
                    case=case,
                    agency=probation,
                    sections=["summary", "assessments"],
                    reason="Probation supervise the suspect on licence.",
                    by=coordinator,
                )
            if i % 3 == 0:
                case_share(
                    case=case,
                    agency=cps,
                    sections=["summary"],
                    reason="Charging decision pending.",
                    by=coordinator,
                )
        # Shares made at triage date from it; the clinic shares ISAC cases a week later.
        Share.objects.filter(case=case, shared_at__gt=decided).update(
            shared_at=decided
            + datetime.timedelta(days=7 if outcome == TriageDecision.Outcome.REFER_ISAC else 0)
        )
    _risk_histories(coordinator, isac)
    command.stdout.write(f"Referrals demo data: {len(referrals)} referrals, 50 triaged.")
    _case_lives(command, coordinator, users["tactical_lead"])
    seed_police_logs(command, coordinator)


def _backdate_risk(case: Case, at: datetime.datetime) -> None:
    """The case's latest risk decision taken at ``at``, reviewed by the usual date from then:
    older demo cases come out past their review date, as real ones would."""
    decision = RiskDecision.objects.filter(case=case).order_by("-decided_at", "-id").first()
    review_on = default_review_on(decision.level, from_day=timezone.localdate(at))
    RiskDecision.objects.filter(pk=decision.pk).update(decided_at=at, review_on=review_on)
    Case.objects.filter(pk=case.pk).update(risk_decided_at=at, risk_review_on=review_on)


def _dash_answers(yes: int) -> dict:
    question_set = current_question_set("dash")
    keys = [question["key"] for question in question_set.questions]
    return {key: "yes" if n < yes else "no" for n, key in enumerate(keys)}


def _risk_histories(coordinator, isac) -> None:
    """Risk decided as the clinic decides it: a case raised by a Stalking Risk Profile, one where
    an ISAC's DASH scoring lower waits for the owner's decision, and one the owner lowered with
    reasons. (A level agreed at a clinic meeting comes with the meetings demo.)"""
    open_cases = Case.objects.filter(status=Case.Status.OPEN).order_by("created_at")
    now = timezone.now()
    raised = open_cases.filter(risk_level="medium").first()
    if raised is not None:
        srp = assessment_record(
            case=raised,
            instrument="srp",
            by=coordinator,
            prior_relationship="Former colleagues; brief relationship two years ago",
            motivation="intimacy_seeking",
            violence="moderate",
            violence_rationale="Threatened the victim's new partner.",
            persistence="high",
            persistence_rationale="Over 200 messages since a warning.",
            recurrence="moderate",
            recurrence_rationale="No earlier victims known.",
            psychosocial_damage="high",
            psychosocial_damage_rationale="Victim signed off work with anxiety.",
            recommended_management="Refer to the ISAC service; consider an SPO.",
        )
        at = now - datetime.timedelta(days=9)
        RiskAssessment.objects.filter(pk=srp.pk).update(assessed_at=at)
        _backdate_risk(raised, at)
    isac_cases = list(
        open_cases.filter(risk_level="high", agency_referrals__agency=isac.agency).distinct()[:2]
    )
    for n, case in enumerate(isac_cases):
        dash = assessment_record(
            case=case,
            instrument="dash",
            by=isac,
            answers=_dash_answers(11),
            risk_level="medium",
            judgement_reasons="Fewer incidents since the suspect moved away.",
        )
        RiskAssessment.objects.filter(pk=dash.pk).update(
            assessed_at=now - datetime.timedelta(days=4 + n * 10)
        )
        if n == 1:
            case.refresh_from_db()
            case_risk_decide(
                case=case,
                version=case.version,
                by=case.owner,
                level="medium",
                reasons="Suspect remanded in custody; victim rehoused out of the area. The DASH "
                "and the ISAC agree the risk has fallen.",
            )
            _backdate_risk(case, now - datetime.timedelta(days=3))


def _isac_work(rng, case, isac, *, start) -> None:
    sdash = assessment_record(
        case=case,
        instrument="sdash",
        by=isac,
        answers=_sdash_answers(rng, 7),
        risk_level="high",
        judgement_reasons="Threats and loitering at home.",
    )
    srp = assessment_record(
        case=case,
        instrument="srp",
        by=isac,
        prior_relationship="Former partners for four years",
        motivation="rejected",
        violence="moderate",
        violence_rationale="Past threats, no known weapons.",
        persistence="high",
        persistence_rationale="Contact continued despite warnings.",
        recurrence="high",
        recurrence_rationale="Previous stalking of another ex-partner.",
        psychosocial_damage="high",
        psychosocial_damage_rationale="Victim has moved out and stopped working.",
        recommended_management="SPO application; probation liaison; safety planning.",
    )
    soon = timezone.localdate() + datetime.timedelta(days=rng.randint(1, 20))
    safety_action_add(
        case=case, by=isac, description="Fit a video doorbell", owner="Police", due_date=soon
    )
    safety_action_add(
        case=case,
        by=isac,
        description="Agree a code word with the victim's family",
        owner="Victim",
        due_date=None,
    )
    voice = victim_voice_record(
        case=case,
        by=isac,
        account="He keeps turning up. I don't feel safe walking to work any more.",
        wishes="I want it to stop. I don't want him arrested unless it keeps happening.",
        concerns="That he will find my new address.",
    )
    RiskAssessment.objects.filter(pk=sdash.pk).update(
        assessed_at=start + datetime.timedelta(days=2)
    )
    RiskAssessment.objects.filter(pk=srp.pk).update(assessed_at=start + datetime.timedelta(days=6))
    VictimVoice.objects.filter(pk=voice.pk).update(recorded_at=start + datetime.timedelta(days=2))
    SafetyActionChange.objects.filter(action__case=case).update(
        changed_at=start + datetime.timedelta(days=3)
    )


ROUTINE = [
    ("NC", "Concern for welfare", "", "Elderly resident found confused, returned home safe."),
    (
        "8/1",
        "Harassment",
        "HARASSMENT",
        "Dispute between neighbours over parking, words exchanged.",
    ),
    ("58/1", "Criminal damage", "", "Window of a parked car smashed overnight, no witnesses."),
]
PATTERN_WORDING = [
    "Suspect turned up outside the victim's home again and waited by her car.",
    "Victim reports 30 unwanted messages overnight despite asking him to stop.",
    "Suspect followed the victim from the station to her workplace.",
    "Suspect loitering near the victim's gym at closing time.",
]


def seed_police_logs(command, coordinator) -> None:
    """A small demo export through the real import and scan: patterns, tagged entries, noise."""
    from pathlib import Path

    from django.conf import settings

    from .logs.importer import COLUMNS
    from .logs.jobs import import_and_scan
    from .models import LogImport

    rng = random.Random(65)  # noqa: S311  (demo data, not security)
    now = timezone.now()
    rows, n = [], 0

    def entry(when, victim, suspect, code, offence, flags, summary, relationship="ex-partner"):
        nonlocal n
        n += 1
        rows.append(
            [
                f"INC-2026-{80000000 + n:08d}",
                f"CR/2026/{8000000 + n:07d}" if n % 2 else "",
                when.isoformat(timespec="minutes"),
                code,
                offence,
                flags,
                victim,
                f"{FIRST[n % 20]} Logvictim (demo)",
                "",
                suspect,
                f"{FIRST[(n + 5) % 20]} Logsuspect (demo)" if suspect else "",
                "",
                relationship,
                f"PC {5000 + n}",
                rng.choice(Area.values),
                summary,
            ]
        )

    for pair in range(4):  # untagged patterns: three or more in 90 days
        for k in range(3 + pair % 2):
            entry(
                now - datetime.timedelta(days=80 - 20 * k - pair),
                f"PL{pair:03d}",
                f"PS{pair:03d}",
                "8/1",
                "Harassment",
                "",
                PATTERN_WORDING[k % 4],
            )
    for pair in range(2):  # tagged stalking
        entry(
            now - datetime.timedelta(days=10 + pair),
            f"PL1{pair:02d}",
            f"PS1{pair:02d}",
            "8/65",
            "Stalking involving fear of violence",
            "STALKING",
            PATTERN_WORDING[pair],
        )
    # One suspect against two victims: a possible serial stalker.
    for victim in ("PL200", "PL201"):
        for k in range(3):
            entry(
                now - datetime.timedelta(days=60 - 15 * k),
                victim,
                "PS200",
                "8/1",
                "Harassment",
                "",
                PATTERN_WORDING[(k + 1) % 4],
                relationship="acquaintance",
            )
    for k in range(40):  # routine entries nobody should see as stalking
        code, offence, flags, summary = ROUTINE[k % 3]
        entry(
            now - datetime.timedelta(days=rng.randint(1, 300)),
            f"PL3{k:02d}",
            f"PS3{k:02d}" if k % 2 else "",
            code,
            offence,
            flags,
            summary,
            "unknown",
        )

    folder = Path(settings.POLICE_LOG_UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "demo-police-log-export.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    log_import = LogImport.objects.create(
        file_name=path.name,
        stored_path=str(path),
        size_bytes=path.stat().st_size,
        source=LogImport.Source.COMMAND,
        uploaded_by=coordinator,
    )
    import_and_scan(log_import)
    command.stdout.write(f"Police logs demo data: {len(rows)} log entries imported and scanned.")


# Closed cases and what the criminal justice system did: (close reason, the outcome of the
# clinic's work, [(outcome kind, offence, other offence, NFA reason, detail, days before now)]).
_CLOSED = [
    (
        CloseReason.CONVICTED_MANAGED,
        "Suspect convicted of s.2A stalking and managed by probation; victim supported by the "
        "ISAC to trial; safety plan handed over to the victim.",
        [
            ("crime_recorded", Offence.STALKING, "", "", "", 120),
            ("charged", Offence.STALKING, "", "", "Remanded on conditional bail.", 90),
            ("convicted", Offence.STALKING, "", "", "Guilty plea at the magistrates' court.", 30),
            ("restraining_order", "", "", "", "Five years; no contact, exclusion zone.", 30),
        ],
    ),
    (
        CloseReason.VICTIM_DISENGAGED,
        "Victim declined further contact after three attempts; safety advice sent in writing.",
        [
            ("crime_recorded", Offence.HARASSMENT, "", "", "", 80),
            ("nfa", "", "", "Victim does not support a prosecution.", "", 40),
        ],
    ),
    (
        CloseReason.RISK_REDUCED,
        "No contact for three months after a police warning; victim moved and feels safe.",
        [
            ("crime_recorded", Offence.OTHER, "Malicious communications", "", "", 70),
            ("caution", Offence.OTHER, "Malicious communications", "", "", 50),
        ],
    ),
    (
        CloseReason.TRANSFERRED,
        "Victim and suspect moved to the neighbouring force; case handed over to its stalking "
        "clinic.",
        [],
    ),
]


def _case_lives(command, coordinator, tactical_lead) -> None:
    """Closed cases with their criminal justice outcomes, one closed case with a new referral
    waiting (the prompt to reopen), and one reopened, all through the services. Only cases not
    high risk are closed: the meetings and protection orders demos work on the high-risk ones."""
    cases = list(
        Case.objects.filter(status=Case.Status.OPEN)
        .exclude(risk_level=RiskLevel.HIGH)
        .order_by("pk")[: len(_CLOSED) + 2]
    )
    if len(cases) < len(_CLOSED) + 2:
        return
    now = timezone.now()
    for case, (reason, clinic_outcome, outcomes) in zip(cases, _CLOSED, strict=False):
        for kind, offence, other, nfa_reason, detail, days in outcomes:
            recorded = outcome_record(
                case=case,
                by=case.owner,
                kind=kind,
                on=timezone.localdate() - datetime.timedelta(days=days),
                offence=offence,
                offence_other=other,
                nfa_reason=nfa_reason,
                detail=detail,
            )
            # Recorded the day after, or when the case began if the crime was recorded earlier.
            CriminalJusticeOutcome.objects.filter(pk=recorded.pk).update(
                recorded_at=max(now - datetime.timedelta(days=days - 1), case.created_at)
            )
        _closed_days_ago(case, tactical_lead, reason, clinic_outcome, days=20)
    # Closed, then a new referral for the same victim and suspect: the coordinator is prompted.
    prompted = cases[len(_CLOSED)]
    _closed_days_ago(
        prompted,
        coordinator,
        CloseReason.RISK_REDUCED,
        "Contact stopped after the suspect was arrested; victim has a safety plan.",
        days=30,
    )
    referral_submit(
        by=User.objects.get(username="officer"),
        source=Referral.Source.OFFICER,
        victim=prompted.victim,
        suspect=prompted.suspects.first(),
        relationship=prompted.relationship,
        area=prompted.area,
        unwanted="Suspect released; turned up at the victim's new workplace twice this week.",
        officer_in_case=prompted.officer_in_case,
    )
    # Closed, then reopened when the victim reported new contact.
    reopened = cases[len(_CLOSED) + 1]
    _closed_days_ago(
        reopened,
        reopened.owner,
        CloseReason.RISK_REDUCED,
        "No contact for two months; victim content to close.",
        days=25,
    )
    reopened.refresh_from_db()
    case_reopen(
        case=reopened,
        version=reopened.version,
        by=coordinator,
        reason="Victim called the ISAC: the suspect has started messaging again from new accounts.",
    )
    command.stdout.write(
        f"Referrals demo data: {len(_CLOSED) + 1} cases closed with outcomes, one reopened."
    )


def _closed_days_ago(case, by, reason, outcome, *, days) -> None:
    case.refresh_from_db()
    case_close(
        case=case,
        version=case.version,
        by=by,
        reason=reason,
        outcome=outcome,
        review_on=default_closed_review_on(case),
    )
    at = timezone.now() - datetime.timedelta(days=days)
    Case.objects.filter(pk=case.pk).update(closed_at=at)
    CaseStatusChange.objects.filter(case=case).update(at=at)
