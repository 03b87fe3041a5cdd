"""The case's closings and risk, as they were before risk became a decision and closing an act."""

from django.db import migrations

# Triage closed cases with the outcome's label as the reason; now the reason is a code.
_TRIAGE_CLOSURES = {
    "Advice to the officer": "advice_given",
    "Hand over to another force": "transferred",
    "No further action": "no_clinic_role",
}


def closed_reasons_to_codes(apps, schema_editor):
    """Each closed case's reason becomes a code (before the column becomes one of the codes)."""
    Case = apps.get_model("referrals", "Case")
    for case in Case.objects.filter(status="closed"):
        case.closed_reason = _TRIAGE_CLOSURES.get(case.closed_reason, "no_clinic_role")
        case.save(update_fields=["closed_reason"])


def closings_from_triage(apps, schema_editor):
    """A case closed at triage keeps its closing as a status change made by whoever triaged it,
    when they did."""
    Case = apps.get_model("referrals", "Case")
    TriageDecision = apps.get_model("referrals", "TriageDecision")
    CaseStatusChange = apps.get_model("referrals", "CaseStatusChange")
    labels = {code: label for label, code in _TRIAGE_CLOSURES.items()}
    for case in Case.objects.filter(status="closed"):
        decision = TriageDecision.objects.filter(case=case).order_by("-decided_at").first()
        if decision is None:
            continue
        case.closed_at = decision.decided_at
        case.save(update_fields=["closed_at"])
        CaseStatusChange.objects.create(
            case=case,
            kind="closed",
            reason=case.closed_reason,
            text=f"Closed at triage: {labels.get(case.closed_reason, 'no further action')}.",
            by_id=decision.decided_by_id,
            at=decision.decided_at,
        )


def risk_decisions_from_history(apps, schema_editor):
    """Each triage decision's risk becomes a risk decision; where an assessment set the case's
    risk since, that becomes one too. The case keeps its level, now with who decided it."""
    Case = apps.get_model("referrals", "Case")
    TriageDecision = apps.get_model("referrals", "TriageDecision")
    RiskAssessment = apps.get_model("referrals", "RiskAssessment")
    RiskDecision = apps.get_model("referrals", "RiskDecision")
    for case in Case.objects.all():
        previous = ""
        latest = None
        for decision in TriageDecision.objects.filter(case=case).order_by("decided_at", "pk"):
            latest = RiskDecision.objects.create(
                case=case,
                level=decision.risk_level,
                previous_level=previous,
                reasons=decision.risk_reasons,
                source="triage",
                decided_by_id=decision.decided_by_id,
                decided_at=decision.decided_at,
            )
            previous = decision.risk_level
        if previous != case.risk_level:
            assessment = (
                RiskAssessment.objects.filter(case=case, risk_level=case.risk_level)
                .order_by("-assessed_at")
                .first()
            )
            if assessment is not None:
                latest = RiskDecision.objects.create(
                    case=case,
                    level=case.risk_level,
                    previous_level=previous,
                    reasons="Set by the latest risk assessment.",
                    source="assessment",
                    assessment=assessment,
                    decided_by_id=assessment.assessed_by_id,
                    decided_at=assessment.assessed_at,
                )
        if latest is not None:
            case.risk_decided_by_id = latest.decided_by_id
            case.risk_decided_at = latest.decided_at
            case.risk_reasons = latest.reasons
            case.save(update_fields=["risk_decided_by", "risk_decided_at", "risk_reasons"])


class Migration(migrations.Migration):
    dependencies = [("referrals", "0008_case_life")]

    operations = [
        migrations.RunPython(closed_reasons_to_codes, migrations.RunPython.noop),
        migrations.RunPython(closings_from_triage, migrations.RunPython.noop),
        migrations.RunPython(risk_decisions_from_history, migrations.RunPython.noop),
    ]
