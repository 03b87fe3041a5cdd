"""What the referrals area puts on a case's timeline."""

from django.utils.dateformat import format as date_format

from .models import (
    AgencyReferral,
    Allocation,
    CaseNote,
    CaseStatusChange,
    CriminalJusticeOutcome,
    LogEntry,
    Referral,
    RiskAssessment,
    RiskDecision,
    SafetyActionChange,
    Share,
    TriageDecision,
    VictimVoice,
)
from .timeline import TimelineEntry, timeline_source

SUMMARY, ASSESSMENTS, SAFETY, VOICE, TIMELINE = (
    "summary",
    "assessments",
    "safety_plan",
    "victim_voice",
    "timeline",
)


def _name(user) -> str:
    return user.display_name if user else "Police log scan"


@timeline_source(SUMMARY)
def referrals(case):
    for referral in Referral.objects.filter(linked_case=case).select_related("referred_by"):
        yield TimelineEntry(
            referral.submitted_at,
            "Referral",
            f"{referral.reference} received from {referral.get_source_display().lower()}",
            by=_name(referral.referred_by),
            lines=[f"Asked for: {', '.join(referral.get_requests_display_list())}"]
            if referral.requests
            else [],
        )


@timeline_source(SUMMARY)
def triage_decisions(case):
    decisions = TriageDecision.objects.filter(case=case).select_related(
        "decided_by", "owner", "partner_agency", "referral"
    )
    for decision in decisions:
        # The risk it decided is its own entry ("Risk decision"), as every other decision's is.
        lines = [f"Owner: {decision.owner.display_name}"]
        if decision.advice:
            lines.append(f"Advice: {decision.advice}")
        if decision.partner_agency:
            lines.append(f"Agency: {decision.partner_agency}")
        if decision.other_force:
            lines.append(f"Force: {decision.other_force} ({decision.other_force_contact})")
        if decision.nfa_reason:
            lines.append(f"Reason: {decision.nfa_reason}")
        yield TimelineEntry(
            decision.decided_at,
            "Triage decision",
            f"{decision.get_outcome_display()} (referral {decision.referral.reference})",
            by=decision.decided_by.display_name,
            lines=lines,
        )


@timeline_source(SUMMARY)
def risk_decisions(case):
    """Each decision on the case's risk: triage's, an assessment's rise, the owner's, a
    meeting's."""
    decisions = RiskDecision.objects.filter(case=case).select_related("decided_by")
    for decision in decisions:
        level = decision.get_level_display()
        if not decision.previous_level:
            title = f"{level}, {decision.get_source_display().lower()}"
        elif decision.previous_level == decision.level:
            title = f"{level} kept, {decision.get_source_display().lower()}"
        else:
            title = (
                f"{decision.get_previous_level_display()} to {level}, "
                f"{decision.get_source_display().lower()}"
            )
        yield TimelineEntry(
            decision.decided_at,
            "Risk decision",
            title,
            by=decision.decided_by.display_name,
            detail=decision.reasons,
            lines=[f"Review by {date_format(decision.review_on, 'j F Y')}"]
            if decision.review_on
            else [],
        )


@timeline_source(ASSESSMENTS)
def assessments(case):
    for assessment in RiskAssessment.objects.filter(case=case).select_related("assessed_by"):
        lines = [f"Risk judged {assessment.get_risk_level_display().lower()}"]
        if assessment.yes_count is not None:
            lines.append(f"{assessment.yes_count} yes answers")
        if assessment.amends_id:
            lines.append(f"Amends an earlier assessment: {assessment.amendment_reason}")
        if assessment.proposal:
            lines.append(f"Proposes a lower level: {assessment.get_proposal_display().lower()}")
        yield TimelineEntry(
            assessment.assessed_at,
            "Risk assessment",
            assessment.get_instrument_display(),
            by=assessment.assessed_by.display_name,
            lines=lines,
        )


@timeline_source(SAFETY)
def safety_plan(case):
    changes = SafetyActionChange.objects.filter(action__case=case).select_related(
        "changed_by", "action"
    )
    for change in changes:
        yield TimelineEntry(
            change.changed_at,
            "Safety plan",
            change.summary,
            by=change.changed_by.display_name,
        )


@timeline_source(SUMMARY)
def agency_referrals(case):
    for referral in AgencyReferral.objects.filter(case=case).select_related(
        "agency", "referred_by"
    ):
        yield TimelineEntry(
            referral.referred_at,
            "Agency referral",
            f"Referred to {referral.agency}",
            by=referral.referred_by.display_name,
            detail=referral.reason,
        )


@timeline_source(SUMMARY)
def shares(case):
    for share in Share.objects.filter(case=case).select_related("agency", "shared_by"):
        yield TimelineEntry(
            share.shared_at,
            "Shared",
            f"with {share.agency}",
            by=share.shared_by.display_name,
            detail=share.reason,
            lines=[", ".join(Share.Section(s).label for s in share.sections)],
        )


@timeline_source(TIMELINE)
def notes(case):
    for note in CaseNote.objects.filter(case=case).select_related("author"):
        yield TimelineEntry(
            note.created_at,
            note.get_kind_display(),
            "",
            by=note.author.display_name,
            detail=note.text,
        )


@timeline_source(VOICE)
def victim_voice(case):
    for voice in VictimVoice.objects.filter(case=case).select_related("recorded_by"):
        yield TimelineEntry(
            voice.recorded_at,
            "Victim's voice",
            "The victim's account, wishes and concerns recorded",
            by=voice.recorded_by.display_name,
        )


@timeline_source(TIMELINE)
def police_log_entries(case):
    """Log entries for the case's victim with any of its suspects, however they arrived."""
    victim_ref = case.victim.person_ref
    suspect_refs = [s.person_ref for s in case.suspects.all() if s.person_ref]
    if not victim_ref or not suspect_refs:
        return
    entries = LogEntry.objects.filter(victim_id=victim_ref, suspect_id__in=suspect_refs)
    for entry in entries.order_by("recorded_at"):
        yield TimelineEntry(
            entry.recorded_at,
            "Police log",
            f"{entry.offence or entry.offence_code} ({entry.log_ref})",
            by=entry.officer,
            detail=entry.summary,
        )


@timeline_source(SUMMARY)
def status_changes(case):
    """Closing (at triage too) and reopening, with the reason and the clinic's outcome."""
    for change in CaseStatusChange.objects.filter(case=case).select_related("by"):
        lines = []
        if change.reason:
            lines.append(f"Reason: {change.get_reason_display()}")
        if change.review_on:
            lines.append(f"Record to be reviewed on {change.review_on:%-d %B %Y}")
        yield TimelineEntry(
            change.at,
            change.get_kind_display(),
            "",
            by=change.by.display_name,
            detail=change.text,
            lines=lines,
        )


@timeline_source(SUMMARY)
def criminal_justice_outcomes(case):
    """Criminal justice outcomes, at the moment they were recorded, dated in their title."""
    for outcome in CriminalJusticeOutcome.objects.filter(case=case).select_related("recorded_by"):
        lines = []
        if outcome.offence:
            lines.append(f"Offence: {outcome.offence_label}")
        if outcome.nfa_reason:
            lines.append(f"Reason: {outcome.nfa_reason}")
        yield TimelineEntry(
            outcome.recorded_at,
            "Criminal justice outcome",
            f"{outcome.get_kind_display()} on {outcome.on:%-d %B %Y}",
            by=outcome.recorded_by.display_name,
            detail=outcome.detail,
            lines=lines,
        )


@timeline_source(SUMMARY)
def allocations(case):
    """The case given to a new owner or to a named advocate: who, from whom, why, by whom."""
    for allocation in Allocation.objects.filter(case=case).select_related("to", "previous", "by"):
        lines = [f"From {allocation.previous.display_name}"] if allocation.previous else []
        yield TimelineEntry(
            allocation.at,
            "Owner changed" if allocation.kind == Allocation.Kind.OWNER else "ISAC advocate",
            f"{'Reallocated' if allocation.previous else 'Allocated'} to "
            f"{allocation.to.display_name}",
            by=allocation.by.display_name,
            detail=allocation.reason,
            lines=lines,
        )
