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
    Person,
    Referral,
    Relationship,
    RiskAssessment,
    SafetyActionChange,
    Share,
    TriageDecision,
    VictimVoice,
)
from .selectors.assessments import current_question_set
from .services.allocation import case_opened_by
from .services.assessments import assessment_record
from .services.cases import case_share
from .services.people import person_find_or_create
from .services.referrals import referral_submit
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
    command.stdout.write(f"Referrals demo data: {len(referrals)} referrals, 50 triaged.")
    seed_police_logs(command, coordinator)


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
