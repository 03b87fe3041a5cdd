"""Every page about one record, walked as an anonymous visitor and as each role.

The scenario: a case referred to the ISAC service and shared with probation (summary only), a
referral made by the officer, an assessment and a safety action on the case. Expected answers:
200 (allowed), 403 (the role may not use this kind of page), 404 (the role may use such pages but
may not know this record exists), 405 (the page only takes POST).
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import (
    AgencyReferral,
    Finding,
    LogImport,
    RiskAssessment,
    SafetyAction,
    Share,
)
from referrals.services.assessments import assessment_record
from stalking_clinic.accounts.models import Agency, Role

from ..factories import AgencyFactory
from ..referrals.factories import CaseFactory, QuestionSetFactory, ReferralFactory

C, TL, SOL, ISAC = Role.COORDINATOR, Role.TACTICAL_LEAD, Role.SOLICITOR, Role.ISAC
OFFICER, PARTNER = Role.OFFICER, Role.PARTNER

# url name -> (how to build its kwargs from the scenario, {role: status}); unlisted roles: 403.
RECORD_PAGES = {
    "referrals:referral_detail": (
        lambda s: {"pk": s["referral"].pk},
        {C: 200, TL: 200, OFFICER: 200, SOL: 404, ISAC: 404, Role.CHAMPION: 404, PARTNER: 404},
    ),
    "referrals:triage": (lambda s: {"pk": s["referral"].pk}, {C: 200, TL: 200}),
    "referrals:assign": (lambda s: {"pk": s["referral"].pk}, {C: 405, TL: 405}),
    "referrals:case_detail": (
        lambda s: {"pk": s["case"].pk},
        {C: 200, TL: 200, SOL: 200, ISAC: 200, PARTNER: 200},
    ),
    "referrals:note_add": (lambda s: {"pk": s["case"].pk}, {C: 200, TL: 200, SOL: 200, ISAC: 200}),
    "referrals:share": (lambda s: {"pk": s["case"].pk}, {C: 200, TL: 200}),
    "referrals:refer_isac": (lambda s: {"pk": s["case"].pk}, {C: 200, TL: 200}),
    "referrals:person_detail": (lambda s: {"pk": s["case"].victim_id}, {C: 200, TL: 200, SOL: 200}),
    "referrals:person_edit": (lambda s: {"pk": s["case"].victim_id}, {C: 200, TL: 200}),
    "referrals:assessment_new": (
        lambda s: {"case_pk": s["case"].pk, "instrument": "sdash"},
        {C: 200, ISAC: 200},
    ),
    "referrals:assessment_detail": (
        lambda s: {"pk": s["assessment"].pk},
        {C: 200, TL: 200, SOL: 200, ISAC: 200, PARTNER: 404},
    ),
    "referrals:assessment_amend": (lambda s: {"pk": s["assessment"].pk}, {C: 200, ISAC: 200}),
    "referrals:safety_action_add": (lambda s: {"case_pk": s["case"].pk}, {C: 200, ISAC: 200}),
    "referrals:safety_action_edit": (lambda s: {"pk": s["safety_action"].pk}, {C: 200, ISAC: 200}),
    "referrals:victim_voice_add": (lambda s: {"case_pk": s["case"].pk}, {ISAC: 200}),
    "referrals:log_entries_seen": (
        lambda s: {"pk": s["case"].pk},
        {C: 405, TL: 405, SOL: 405, ISAC: 405, PARTNER: 405},
    ),
    "referrals:log_import_detail": (lambda s: {"pk": s["log_import"].pk}, {C: 200}),
    "referrals:log_import_progress": (lambda s: {"pk": s["log_import"].pk}, {C: 200}),
    "referrals:finding_detail": (lambda s: {"pk": s["finding"].pk}, {C: 200, TL: 200}),
    "referrals:finding_link": (lambda s: {"pk": s["finding"].pk}, {C: 200, TL: 200}),
    "referrals:finding_dismiss": (lambda s: {"pk": s["finding"].pk}, {C: 200, TL: 200}),
    "referrals:finding_refer": (lambda s: {"pk": s["finding"].pk}, {C: 200, TL: 200}),
}


@pytest.fixture
def scenario(db, make_user):
    isac_service = AgencyFactory(name="Advocacy", kind=Agency.Kind.ISAC_SERVICE, is_partner=False)
    probation = AgencyFactory(name="Probation", kind=Agency.Kind.PROBATION)
    users = {
        role: make_user(
            *([role] if role else []),
            username=f"rec_{role or 'none'}",
            agency={ISAC: isac_service, PARTNER: probation}.get(role),
        )
        for role in [*Role.values, None]
    }
    case = CaseFactory()
    AgencyReferral.objects.create(
        case=case, agency=isac_service, reason="High risk", referred_by=users[C]
    )
    Share.objects.create(
        case=case, agency=probation, sections=["summary"], reason="x", shared_by=users[C]
    )
    QuestionSetFactory()
    assessment = assessment_record(
        case=case,
        instrument="sdash",
        by=users[C],
        answers={q["key"]: "no" for q in QuestionSetFactory().questions},
        risk_level="standard",
    )
    log_import = LogImport.objects.create(file_name="export.csv", source="upload")
    finding = Finding.objects.create(
        key=f"{case.suspects.first().person_ref}|{case.victim.person_ref}",
        kind=Finding.Kind.PATTERN,
        victim_id=case.victim.person_ref,
        suspect_id=case.suspects.first().person_ref,
        first_seen=timezone.now(),
        last_seen=timezone.now(),
        entry_count=3,
        score=50,
    )
    return {
        "log_import": log_import,
        "finding": finding,
        "users": users,
        "case": case,
        "referral": ReferralFactory(referred_by=users[OFFICER]),
        "assessment": assessment,
        "safety_action": SafetyAction.objects.create(
            case=case, description="Doorbell", owner="Police"
        ),
    }


@pytest.mark.parametrize("name", sorted(RECORD_PAGES))
def test_anonymous_visitor_is_sent_to_sign_in(client, scenario, name):
    kwargs_for, _ = RECORD_PAGES[name]
    response = client.get(reverse(name, kwargs=kwargs_for(scenario)))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


@pytest.mark.parametrize("name", sorted(RECORD_PAGES))
@pytest.mark.parametrize("role", [*sorted(Role.values), None], ids=lambda r: r or "no-role")
def test_each_role_gets_what_the_design_says(client, scenario, name, role):
    kwargs_for, expected = RECORD_PAGES[name]
    client.force_login(scenario["users"][role])
    response = client.get(reverse(name, kwargs=kwargs_for(scenario)))
    assert response.status_code == expected.get(role, 403), f"{role} on {name}"
    assert RiskAssessment.objects.count() == 1
