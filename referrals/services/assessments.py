"""Risk assessments: loading each instrument's wording, and recording S-DASH, DASH and SRP.

"The instruments are licensed: store question wording as versioned reference data that the force
loads, and keep each completed assessment tied to the version it used." (DOMAIN.md)
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils import timezone

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ServiceError, one_of

from ..models import Case, Instrument, QuestionSet, RiskAssessment, RiskLevel
from ..models.assessments import SRP_DOMAINS, SRPLevel
from ..models.choices import RISK_RANK
from ..selectors.assessments import current_question_set
from .risk import assessment_propose

Answer = RiskAssessment.Answer

# The highest domain sets the case's risk.
SRP_TO_RISK = {
    SRPLevel.HIGH: RiskLevel.HIGH,
    SRPLevel.MODERATE: RiskLevel.MEDIUM,
    SRPLevel.LOW: RiskLevel.STANDARD,
}
_SRP_RANK = {SRPLevel.LOW: 1, SRPLevel.MODERATE: 2, SRPLevel.HIGH: 3}

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_FILE_KEYS = {"instrument", "version", "title", "questions", "thresholds", "notes"}
_QUESTION_KEYS = {"key", "text", "hint"}


def answer_field(key: str) -> str:
    """The form field (and error field) for the answer to question ``key``."""
    return f"answer_{key}"


# --- Question sets -------------------------------------------------------------------------


def question_set_parse(data: Any) -> dict:
    """Check a question set's shape; return the fields to store. Raises ServiceError."""
    if not isinstance(data, dict):
        raise ServiceError("A question set must be a JSON object.")
    unknown = set(data) - _FILE_KEYS
    if unknown:
        raise ServiceError(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    instrument = data.get("instrument")
    if instrument not in Instrument.values:
        raise ServiceError(
            f"'instrument' must be one of {', '.join(Instrument.values)}, not {instrument!r}."
        )
    version = data.get("version")
    if not isinstance(version, str) or not version.strip() or len(version.strip()) > 40:
        raise ServiceError("'version' must be a label of 1 to 40 characters.")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip() or len(title.strip()) > 200:
        raise ServiceError("'title' must be text of 1 to 200 characters.")
    questions = _parse_questions(data.get("questions"))
    keys = [question["key"] for question in questions]
    thresholds = data.get("thresholds", {})
    if instrument == Instrument.SRP:
        if sorted(keys) != sorted(SRP_DOMAINS):
            raise ServiceError(
                f"The Stalking Risk Profile questions must be exactly the domains "
                f"{', '.join(SRP_DOMAINS)}."
            )
        if thresholds:
            raise ServiceError("The Stalking Risk Profile has no thresholds; leave them empty.")
    else:
        _check_thresholds(thresholds, len(questions))
    return {
        "instrument": instrument,
        "version": version.strip(),
        "title": title.strip(),
        "questions": questions,
        "thresholds": thresholds,
    }


def _parse_questions(questions: Any) -> list[dict]:
    if not isinstance(questions, list) or not questions:
        raise ServiceError("'questions' must be a non-empty list.")
    parsed, seen = [], set()
    for number, question in enumerate(questions, start=1):
        where = f"Question {number}"
        if not isinstance(question, dict):
            raise ServiceError(f"{where} must be an object with 'key' and 'text'.")
        unknown = set(question) - _QUESTION_KEYS
        if unknown:
            raise ServiceError(f"{where} has unknown field(s): {', '.join(sorted(unknown))}.")
        key, text = question.get("key"), question.get("text")
        if not isinstance(key, str) or not _KEY.match(key):
            raise ServiceError(
                f"{where}: 'key' must be lower case letters, digits and underscores, "
                f"starting with a letter (got {key!r})."
            )
        if key in seen:
            raise ServiceError(f"{where}: the key {key!r} is used twice.")
        seen.add(key)
        if not isinstance(text, str) or not text.strip():
            raise ServiceError(f"{where} ({key}) has no 'text'.")
        item = {"key": key, "text": text.strip()}
        hint = question.get("hint", "")
        if not isinstance(hint, str):
            raise ServiceError(f"{where} ({key}): 'hint' must be text.")
        if hint.strip():
            item["hint"] = hint.strip()
        parsed.append(item)
    return parsed


def _check_thresholds(thresholds: Any, question_count: int) -> None:
    if not isinstance(thresholds, dict) or set(thresholds) != {"medium", "high"}:
        raise ServiceError(
            "'thresholds' must give the yes answers for 'medium' and 'high' risk, "
            'e.g. {"medium": 3, "high": 6}.'
        )
    medium, high = thresholds["medium"], thresholds["high"]
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (medium, high)):
        raise ServiceError("The thresholds must be whole numbers.")
    if not 1 <= medium <= high <= question_count:
        raise ServiceError(
            f"The thresholds must satisfy 1 <= medium <= high <= the number of questions "
            f"({question_count}); got medium {medium}, high {high}."
        )


@transaction.atomic
def question_set_load(*, data: dict, by=None, make_current: bool = True) -> QuestionSet:
    """Load one version of an instrument's wording and (by default) make it the current one.

    Loading a version that is already there with the same content changes nothing. A version
    that exists is never changed, because assessments done with it must keep showing the exact
    wording the assessor saw: different content under the same version is refused.
    """
    fields = question_set_parse(data)
    existing = QuestionSet.objects.filter(
        instrument=fields["instrument"], version=fields["version"]
    ).first()
    if existing is not None:
        same = (existing.title, existing.questions, existing.thresholds) == (
            fields["title"],
            fields["questions"],
            fields["thresholds"],
        )
        if not same:
            raise ServiceError(
                f"{existing} is already loaded with different content; a version in use is "
                "never changed: load it as a new version."
            )
        return existing

    previous = None
    if make_current:
        # Lock the current set so two loads cannot both make theirs current (the partial unique
        # constraint would refuse the second anyway, less politely).
        previous = (
            QuestionSet.objects.select_for_update()
            .filter(instrument=fields["instrument"], is_current=True)
            .first()
        )
        if previous is not None:
            previous.is_current = False
            previous.save(update_fields=["is_current"])
            record(
                actor=by,
                action=AuditEvent.Action.ALTERATION,
                obj=previous,
                changed_fields=["is_current"],
                justification=f"Replaced by version {fields['version']}",
            )
    question_set = QuestionSet.objects.create(**fields, is_current=make_current)
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=question_set)
    return question_set


# --- Assessments ---------------------------------------------------------------------------


def _check_amendment(*, case: Case, instrument: str, amends: RiskAssessment, reason: str):
    # Lock the row being amended so two people cannot both amend it.
    original = RiskAssessment.objects.select_for_update().get(pk=amends.pk)
    if original.case_id != case.pk:
        raise ServiceError("You can only amend an assessment of this case.")
    if original.instrument != instrument:
        raise ServiceError(
            f"An amendment must use the same instrument as the assessment it amends "
            f"({original.get_instrument_display()})."
        )
    if RiskAssessment.objects.filter(amends=original).exists():
        raise ServiceError(
            "This assessment has already been amended. Amend the latest version instead."
        )
    if not reason.strip():
        raise ServiceError("Give the reason for the amendment.", field="amendment_reason")


def _score(question_set: QuestionSet, answers: dict, *, risk_level: str, reasons: str):
    """S-DASH and DASH: every question answered; the judgement no lower than the count."""
    keys = [question["key"] for question in question_set.questions]
    unknown = set(answers) - set(keys)
    if unknown:
        raise ServiceError(
            "The answers do not match the current questions. Reload the page and try again."
        )
    for number, key in enumerate(keys, start=1):
        if answers.get(key) not in Answer.values:
            raise ServiceError(
                f"Select yes, no or not known for question {number}.", field=answer_field(key)
            )
    yes_count = sum(1 for key in keys if answers[key] == Answer.YES)
    indicated = question_set.indicated_level(yes_count)
    one_of(risk_level, RiskLevel, "risk_level", "Select the risk level you judge.")
    # "More yes answers, more risk; officer judgement can raise it." (DOMAIN.md)
    if RISK_RANK[risk_level] < RISK_RANK[indicated]:
        raise ServiceError(
            f"The risk level cannot be lower than the count suggests: {yes_count} yes "
            f"answers indicate {RiskLevel(indicated).label.lower()} risk.",
            field="risk_level",
        )
    if RISK_RANK[risk_level] > RISK_RANK[indicated] and not reasons.strip():
        raise ServiceError(
            f"Give your reasons for judging the risk higher than the count suggests "
            f"({RiskLevel(indicated).label.lower()}).",
            field="judgement_reasons",
        )
    return {key: answers[key] for key in keys}, yes_count, indicated


def _check_srp(srp: dict) -> str:
    """Stalking Risk Profile: motivation and each domain with its rationale. Returns the risk."""
    if not srp["prior_relationship"].strip():
        raise ServiceError(
            "Describe the prior relationship between the stalker and the victim.",
            field="prior_relationship",
        )
    one_of(
        srp["motivation"],
        RiskAssessment.Motivation,
        "motivation",
        "Select the stalker's motivation type.",
    )
    for domain in SRP_DOMAINS:
        label = domain.replace("_", " ")
        one_of(srp[domain], SRPLevel, domain, f"Select low, moderate or high for {label}.")
        if not srp[f"{domain}_rationale"].strip():
            raise ServiceError(
                f"Give the rationale for the {label} judgement.", field=f"{domain}_rationale"
            )
    if not srp["recommended_management"].strip():
        raise ServiceError("Give the recommended management.", field="recommended_management")
    highest = max((srp[domain] for domain in SRP_DOMAINS), key=_SRP_RANK.__getitem__)
    return SRP_TO_RISK[highest]


@transaction.atomic
def assessment_record(
    *,
    case: Case,
    instrument: str,
    by,
    answers: dict | None = None,
    risk_level: str = "",
    judgement_reasons: str = "",
    prior_relationship: str = "",
    motivation: str = "",
    violence: str = "",
    violence_rationale: str = "",
    persistence: str = "",
    persistence_rationale: str = "",
    recurrence: str = "",
    recurrence_rationale: str = "",
    psychosocial_damage: str = "",
    psychosocial_damage_rationale: str = "",
    recommended_management: str = "",
    amends: RiskAssessment | None = None,
    amendment_reason: str = "",
) -> RiskAssessment:
    """Record a completed S-DASH, DASH or Stalking Risk Profile on an open case.

    S-DASH and DASH: every question of the current wording is answered; the count of yes answers
    indicates a level; the assessor's judgement may be higher (with reasons) but never lower.
    SRP: the highest of the four domain judgements sets the risk (high, moderate → medium,
    low → standard).

    An assessment proposes a level for the case (``risk.assessment_propose``): a higher one
    raises the case's risk at once, with the instrument's judgement as the reason; a lower one
    waits for the owner's decision and never lowers it by itself. "High-risk cases go to the
    multi-agency clinic meeting and to an ISAC" (DOMAIN.md), so a rise to high puts the case
    forward for the meeting (the case page prompts the ISAC referral: ``needs_isac_referral``).

    An assessment is never edited: an amendment is a new assessment naming the one it amends,
    and proposes its level by the same rule.
    """
    instrument = Instrument(instrument)
    # Lock the case: the level it is compared with must still be the case's when it is written.
    case.refresh_from_db(from_queryset=Case.objects.select_for_update())
    if case.status != Case.Status.OPEN:
        raise ServiceError("This case is closed. Reopen it before recording an assessment.")
    if amends is not None:
        _check_amendment(case=case, instrument=instrument, amends=amends, reason=amendment_reason)
    question_set = current_question_set(instrument)
    if question_set is None:
        raise ServiceError(
            f"The {instrument.label} questions have not been loaded. Ask an administrator to run "
            "load_question_sets."
        )

    fields: dict[str, Any] = {}
    if instrument == Instrument.SRP:
        srp = {
            "prior_relationship": prior_relationship,
            "motivation": motivation,
            "violence": violence,
            "violence_rationale": violence_rationale,
            "persistence": persistence,
            "persistence_rationale": persistence_rationale,
            "recurrence": recurrence,
            "recurrence_rationale": recurrence_rationale,
            "psychosocial_damage": psychosocial_damage,
            "psychosocial_damage_rationale": psychosocial_damage_rationale,
            "recommended_management": recommended_management,
        }
        risk_level = _check_srp(srp)
        fields = {name: value.strip() for name, value in srp.items()}
    else:
        stored, yes_count, indicated = _score(
            question_set, answers or {}, risk_level=risk_level, reasons=judgement_reasons
        )
        fields = {
            "answers": stored,
            "yes_count": yes_count,
            "indicated_level": indicated,
            "judgement_reasons": judgement_reasons.strip(),
        }

    assessment = RiskAssessment.objects.create(
        case=case,
        instrument=instrument,
        question_set=question_set,
        assessed_by=by,
        assessed_at=timezone.now(),
        amends=amends,
        amendment_reason=amendment_reason.strip() if amends is not None else "",
        risk_level=risk_level,
        **fields,
    )
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=assessment)
    assessment_propose(case, assessment, by=by)
    return assessment
