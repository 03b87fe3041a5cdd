"""`seed_demo`: one login per role, fictional data, and running it twice duplicates nothing."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from stalking_clinic.accounts.models import Agency, Role, User

from ..savepoints import kept_for_module

pytestmark = pytest.mark.django_db

DEMO_LOGINS = {
    "coordinator": Role.COORDINATOR,
    "tactical_lead": Role.TACTICAL_LEAD,
    "solicitor": Role.SOLICITOR,
    "isac": Role.ISAC,
    "isac2": Role.ISAC,
    "supervisor": Role.SUPERVISOR,
    "officer": Role.OFFICER,
    "champion": Role.CHAMPION,
    "partner_probation": Role.PARTNER,
    "partner_cps": Role.PARTNER,
    "admin": Role.ADMINISTRATOR,
}


# Before the demo is seeded: it stays from the first test that asks for it to the end of the module.
@override_settings(PRODUCTION=True)
def test_refuses_to_create_known_logins_in_production():
    with pytest.raises(CommandError, match="refuses to run in production"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.exists()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """``seed_demo`` run once for the module (it takes seconds), with a demo password of its own."""
    with kept_for_module(django_db_blocker):
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("DEMO_PASSWORD", "another-demo-password")
            call_command("seed_demo", verbosity=0)
        yield


def test_one_demo_login_per_role_with_the_demo_password(seeded):
    for username, role in DEMO_LOGINS.items():
        user = User.objects.get(username=username)
        assert role in user.roles, username
        assert user.check_password("another-demo-password")
    assert set(Role.values) <= {r for u in User.objects.all() for r in u.roles}


def test_partner_logins_belong_to_their_agency(seeded):
    assert User.objects.get(username="partner_probation").agency.kind == Agency.Kind.PROBATION
    assert User.objects.get(username="partner_cps").agency.kind == Agency.Kind.CPS


def _counts():
    from referrals.models import Case, Person, QuestionSet, Referral, RiskAssessment

    return [
        model.objects.count()
        for model in (User, Agency, Person, Referral, Case, RiskAssessment, QuestionSet)
    ]


def test_running_twice_duplicates_nothing(seeded):
    counts = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == counts


def test_the_triage_queue_gets_a_realistic_mix(seeded):
    from referrals.models import Case, Referral

    waiting = Referral.objects.filter(status=Referral.Status.WAITING)
    assert waiting.count() >= 15
    assert {r.risk_level for r in waiting} >= {"", "standard", "medium", "high"}
    assert len({r.source for r in Referral.objects.all()}) >= 4
    assert Case.objects.filter(risk_level="high", assessments__isnull=False).exists()
    assert Case.objects.filter(shares__isnull=False).exists()


def test_demo_data_is_obviously_fictional(seeded):
    for user in User.objects.all():
        assert "Demo" in user.last_name and user.email.endswith(".invalid")
    assert all("demo" in a.name.lower() for a in Agency.objects.all())


def test_the_demo_has_closed_cases_with_outcomes_and_one_reopened(seeded):
    from referrals.models import Case, CaseStatusChange, CriminalJusticeOutcome, Offence
    from referrals.selectors.case_status import closed_cases_with_new_information

    closed_by_hand = Case.objects.filter(
        status=Case.Status.CLOSED, closed_reason__in=["convicted_managed", "victim_disengaged"]
    )
    assert closed_by_hand.count() >= 2
    kinds = set(CriminalJusticeOutcome.objects.values_list("kind", flat=True))
    assert kinds >= {"charged", "convicted", "nfa", "restraining_order", "spo_made"}
    assert CriminalJusticeOutcome.objects.filter(
        kind="convicted", offence=Offence.STALKING
    ).exists()
    assert CaseStatusChange.objects.filter(kind=CaseStatusChange.Kind.REOPENED).count() == 1
    assert closed_cases_with_new_information(Case.objects.all()).count() == 1


def test_the_demo_holds_risk_histories(seeded):
    """A case raised by a Stalking Risk Profile, one where a lower DASH waits for its owner's
    decision, one the owner lowered with reasons, and one agreed at a clinic meeting; older
    cases past their risk review date."""
    from django.utils import timezone

    from referrals.models import Case, RiskAssessment, RiskDecision

    Source = RiskDecision.Source
    decisions = RiskDecision.objects.select_related("assessment")
    assert decisions.filter(source=Source.ASSESSMENT, assessment__instrument="srp").exists()
    assert RiskAssessment.objects.filter(
        instrument="dash", proposal=RiskAssessment.Proposal.PENDING, case__risk_level="high"
    ).exists()
    lowered = decisions.filter(source=Source.OWNER, previous_level="high", level="medium").get()
    assert lowered.reasons and lowered.assessment.proposal == RiskAssessment.Proposal.ACCEPTED
    assert decisions.filter(source=Source.MEETING).exists()
    assert Case.objects.filter(
        status=Case.Status.OPEN, risk_review_on__lt=timezone.localdate()
    ).exists()
    # Each case's risk is its latest decision's.
    for case in Case.objects.all():
        latest = case.risk_decisions.order_by("-decided_at", "-id").first()
        assert (case.risk_level, case.risk_decided_at) == (latest.level, latest.decided_at)


def test_two_named_isacs_have_caseloads_and_one_referral_waits_for_allocation(seeded):
    from referrals.models import AgencyReferral, Allocation, CaseNote, TriageDecision

    isac_cases = AgencyReferral.objects.filter(agency__kind=Agency.Kind.ISAC_SERVICE)
    for username in ("isac", "isac2"):
        advocate = User.objects.get(username=username)
        assert advocate.agency.kind == Agency.Kind.ISAC_SERVICE
        assert isac_cases.filter(advocate=advocate).count() >= 2
    assert isac_cases.filter(advocate__isnull=True).count() == 1
    assert isac_cases.filter(advocate__isnull=False, advocate_seen_at__isnull=True).count() == 1
    assert Allocation.objects.filter(kind=Allocation.Kind.ADVOCATE).count() >= 4
    accepted_with_advice = TriageDecision.objects.filter(
        outcome=TriageDecision.Outcome.ACCEPT
    ).exclude(advice="")
    assert accepted_with_advice.count() == 1
    assert CaseNote.objects.filter(
        case=accepted_with_advice.get().case, kind=CaseNote.Kind.ADVICE
    ).exists()
