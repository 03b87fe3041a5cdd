"""A case's risk is a decision: assessments propose, the owner (or the coordinator or tactical
lead) decides with reasons and a review date, and the case page, its timeline and the home page
show the decided risk."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from referrals.models import AgencyReferral, Case, RiskAssessment, RiskDecision, TriageDecision
from referrals.services.assessments import assessment_record
from referrals.services.risk import case_risk_decide, default_review_on
from referrals.services.triage import referral_triage
from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.home.work import work_for
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from ..break_glass import give_reason
from ..pages import repeated_ids, submit
from .factories import CaseFactory, QuestionSetFactory, ReferralFactory
from .factories_assessments import DASH_KEYS, DashQuestionSetFactory, sdash_answers

pytestmark = pytest.mark.django_db
Proposal = RiskAssessment.Proposal


@pytest.fixture
def question_sets(db):
    return QuestionSetFactory(), DashQuestionSetFactory()


@pytest.fixture
def owner(make_user):
    return make_user(Role.COORDINATOR, username="owner", first_name="Olive", last_name="Owner")


@pytest.fixture
def lead(make_user):
    return make_user(Role.TACTICAL_LEAD, username="lead", first_name="Lee", last_name="Lead")


@pytest.fixture
def high_case(owner, isac_service):
    """A case triaged high and referred to the ISAC service, owned by ``owner``."""
    decision = referral_triage(
        referral=(referral := ReferralFactory()),
        version=referral.version,
        by=owner,
        risk_level="high",
        risk_reasons="Threats to kill; turns up at her work daily",
        owner=owner,
        outcome=TriageDecision.Outcome.REFER_ISAC,
    )
    return Case.objects.get(pk=decision.case_id)


def _dash(case, by, yes, **kwargs):
    answers = {key: "yes" if n < yes else "no" for n, key in enumerate(DASH_KEYS)}
    level = "high" if yes >= 14 else "medium" if yes >= 10 else "standard"
    return assessment_record(
        case=case, instrument="dash", by=by, answers=answers, risk_level=level, **kwargs
    )


def _sdash(case, by, yes):
    level = "high" if yes >= 6 else "medium" if yes >= 3 else "standard"
    return assessment_record(
        case=case, instrument="sdash", by=by, answers=sdash_answers(yes), risk_level=level
    )


def _decide(case, by, level, reasons="Reviewed with the ISAC", **kwargs):
    case.refresh_from_db()
    return case_risk_decide(
        case=case, version=case.version, by=by, level=level, reasons=reasons, **kwargs
    )


# --- The scenario, through the pages ---------------------------------------------------


def test_a_lower_dash_leaves_the_case_high_until_the_owner_decides(
    client, question_sets, high_case, owner, isac
):
    # The ISAC records a DASH of 11 yes answers (medium) on the high case.
    client.force_login(isac)
    page = client.get(reverse("referrals:assessment_new", args=[high_case.pk, "dash"]))
    answers = {f"answer_{key}": "yes" if n < 11 else "no" for n, key in enumerate(DASH_KEYS)}
    response = submit(client, page, "Save assessment", {**answers, "risk_level": "medium"})
    assert response.status_code == 302
    case_page = client.get(response["Location"]).content.decode()
    assert "DASH saved: medium risk. The case stays high until its owner (Olive Owner)" in (
        case_page
    )
    high_case.refresh_from_db()
    assert high_case.risk_level == "high"
    dash = RiskAssessment.objects.get(instrument="dash")
    assert dash.proposal == Proposal.PENDING
    # The ISAC sees that it waits for the owner, and is not offered the decision.
    assert 'data-testid="risk-proposal-waiting"' in case_page
    assert "Decide on the proposed risk level" not in case_page

    # The owner sees the proposal on the case page and follows its link.
    client.force_login(owner)
    case_page = client.get(reverse("referrals:case_detail", args=[high_case.pk]))
    html = case_page.content.decode()
    assert 'data-testid="risk-proposal"' in html
    link = re.search(r'href="([^"]+)">Decide on the proposed risk level</a>', html).group(1)
    assert repeated_ids(html) == []
    decide_page = client.get(link)
    decide = decide_page.content.decode()
    assert repeated_ids(decide) == []
    assert '<h1 class="govuk-heading-l">Decide on the proposed risk level</h1>' in decide
    assert "Proposed: medium risk" in decide
    assert "11 yes answers" in decide
    assert reverse("referrals:assessment_detail", args=[dash.pk]) in decide

    # Lowering needs reasons: refused next to the field, nothing changed.
    refused = submit(client, decide_page, "Save the decision", {"level": "medium"})
    assert refused.status_code == 200
    assert "Give the reasons for your decision." in refused.content.decode()
    high_case.refresh_from_db()
    assert high_case.risk_level == "high"

    response = submit(
        client,
        decide_page,
        "Save the decision",
        {"level": "medium", "reasons": "Suspect now on remand; victim rehoused"},
    )
    assert response.status_code == 302
    high_case.refresh_from_db()
    assert (high_case.risk_level, high_case.risk_decided_by) == ("medium", owner)
    assert high_case.risk_reasons == "Suspect now on remand; victim rehoused"
    assert high_case.risk_review_on == default_review_on("medium")
    assert high_case.for_clinic_meeting_since is None
    dash.refresh_from_db()
    assert dash.proposal == Proposal.ACCEPTED
    decision = RiskDecision.objects.latest("decided_at")
    assert (decision.source, decision.previous_level, decision.assessment) == (
        RiskDecision.Source.OWNER,
        "high",
        dash,
    )

    # The case page: the decided risk, its history and timeline show both decisions.
    html = client.get(response["Location"]).content.decode()
    assert "Risk is now medium." in html
    history = html[html.index('data-testid="risk-history"') :]
    history = history[: history.index("</table>")]
    assert history.index("Suspect now on remand") < history.index("Threats to kill")
    assert "Decision on the case" in history and "Triage" in history
    timeline = html[html.index('data-testid="timeline"') :]
    assert "Risk decision: High to Medium, decision on the case" in timeline
    assert "Risk decision: High, triage" in timeline
    assert "Proposes a lower level: accepted" in timeline
    assert 'data-testid="risk-proposal"' not in html

    # Audited: the decision as an alteration of the case by the owner, and the page's views.
    altered = AuditEvent.objects.filter(
        action=AuditEvent.Action.ALTERATION,
        object_type="referrals.case",
        object_id=str(high_case.pk),
        actor=owner,
    ).latest("at")
    assert "risk_level" in altered.changed_fields
    assert "Suspect now on remand" in altered.justification
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CONSULTATION,
        object_type="referrals.case",
        object_id=str(high_case.pk),
        actor=owner,
    ).exists()


def test_a_stale_decision_is_refused_naming_who_decided_first(client, high_case, owner, lead):
    client.force_login(owner)
    page = client.get(reverse("referrals:case_risk", args=[high_case.pk]))
    _decide(high_case, lead, "standard", reasons="Agreed with the tactical lead")
    response = submit(
        client, page, "Save the decision", {"level": "medium", "reasons": "My reasons"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lee Lead changed this case at" in html
    assert "The case's risk as it is now" in html
    now = html[html.index('data-testid="risk-now"') :]
    assert "Standard" in now[: now.index("</dl>")] and "Agreed with the tactical lead" in now
    assert "My reasons" in html  # what they typed is kept
    high_case.refresh_from_db()
    assert (high_case.risk_level, high_case.risk_decided_by) == ("standard", lead)
    # Saved again knowingly, against the version now shown, it goes through.
    again = submit(client, response, "Save the decision", {"level": "medium"})
    assert again.status_code == 302
    high_case.refresh_from_db()
    assert (high_case.risk_level, high_case.risk_decided_by) == ("medium", owner)


def test_concurrent_decisions_refuse_the_second(high_case, owner, lead):
    version = high_case.version
    case_risk_decide(case=high_case, version=version, by=lead, level="medium", reasons="First in")
    with pytest.raises(ChangedByAnotherUser) as error:
        case_risk_decide(
            case=high_case, version=version, by=owner, level="standard", reasons="Second"
        )
    assert error.value.by == "Lee Lead"
    high_case.refresh_from_db()
    assert high_case.risk_level == "medium"


# --- Who may decide ------------------------------------------------------------------------


def test_an_outsider_gets_404_and_nothing_is_decided(client, high_case, make_user):
    other_service_isac = make_user(Role.ISAC, username="elsewhere")
    client.force_login(other_service_isac)
    url = reverse("referrals:case_risk", args=[high_case.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"level": "standard", "reasons": "x", "version": 1}).status_code == 404
    assert high_case.risk_decisions.count() == 1


def test_an_isac_who_does_not_own_the_case_may_not_decide_but_one_who_owns_it_may(
    client, high_case, isac, make_user, isac_service
):
    client.force_login(isac)
    url = reverse("referrals:case_risk", args=[high_case.pk])
    assert client.get(url).status_code == 403
    Case.objects.filter(pk=high_case.pk).update(owner=isac)
    page = client.get(url)
    assert page.status_code == 200
    assert "Change the risk level" in page.content.decode()
    assert (
        submit(
            client, page, "Save the decision", {"level": "high", "reasons": "Still high"}
        ).status_code
        == 302
    )


def test_the_solicitor_sees_the_decided_risk_but_is_offered_no_decision(
    client, high_case, make_user
):
    client.force_login(make_user(Role.SOLICITOR))
    give_reason(client, high_case)  # no SPO application: outside the solicitor's own work
    html = client.get(reverse("referrals:case_detail", args=[high_case.pk])).content.decode()
    assert 'data-testid="risk-panel"' in html
    assert "Change the risk level" not in html
    url = reverse("referrals:case_risk", args=[high_case.pk])
    assert client.get(url).status_code == 403


def test_a_closed_case_s_risk_is_not_decided(high_case, owner):
    Case.objects.filter(pk=high_case.pk).update(status=Case.Status.CLOSED)
    with pytest.raises(ServiceError, match="closed"):
        _decide(high_case, owner, "medium")


# --- The rules -------------------------------------------------------------------------------


def test_a_higher_assessment_raises_the_case_naming_the_instrument_and_its_judgement(
    question_sets, owner, isac
):
    case = CaseFactory(risk_level="medium", owner=owner)
    dash = _dash(case, isac, 15)
    case.refresh_from_db()
    assert case.risk_level == "high"
    decision = case.risk_decisions.get()
    assert (decision.source, decision.assessment, decision.decided_by) == (
        RiskDecision.Source.ASSESSMENT,
        dash,
        isac,
    )
    assert decision.reasons == "DASH judged the risk high (15 yes answers)."
    assert dash.proposal == ""
    assert case.for_clinic_meeting_since is not None


def test_an_assessment_at_the_case_s_level_changes_nothing(question_sets, high_case, isac):
    version = high_case.version
    sdash = _sdash(high_case, isac, 7)
    high_case.refresh_from_db()
    assert (high_case.version, high_case.risk_decisions.count(), sdash.proposal) == (
        version,
        1,
        "",
    )


def test_an_amendment_proposes_by_the_same_rule(question_sets, high_case, isac, owner):
    first = _sdash(high_case, isac, 0)
    amendment = assessment_record(
        case=high_case,
        instrument="sdash",
        by=isac,
        answers=sdash_answers(3),
        risk_level="medium",
        amends=first,
        amendment_reason="Two answers were wrong",
    )
    high_case.refresh_from_db()
    assert high_case.risk_level == "high"
    assert amendment.proposal == Proposal.PENDING
    # Deciding answers both: the amendment's level accepted, the amended one's not.
    _decide(high_case, owner, "medium")
    assert dict(RiskAssessment.objects.values_list("pk", "proposal")) == {
        first.pk: Proposal.DECLINED,
        amendment.pk: Proposal.ACCEPTED,
    }


def test_keeping_the_level_declines_the_proposal_and_sets_a_new_review(
    question_sets, high_case, owner, isac
):
    dash = _dash(high_case, isac, 11)
    review = timezone.localdate() + datetime.timedelta(days=10)
    decision = _decide(high_case, owner, "high", reasons="Threats continue", review_on=review)
    dash.refresh_from_db()
    high_case.refresh_from_db()
    assert dash.proposal == Proposal.DECLINED
    assert (decision.previous_level, decision.level, high_case.risk_review_on) == (
        "high",
        "high",
        review,
    )


def test_the_owner_may_lower_the_risk_without_a_proposal_but_not_without_reasons(high_case, owner):
    with pytest.raises(ServiceError) as error:
        _decide(high_case, owner, "standard", reasons="  ")
    assert error.value.field == "reasons"
    _decide(high_case, owner, "standard", reasons="Suspect moved abroad")
    high_case.refresh_from_db()
    assert high_case.risk_level == "standard"


@pytest.mark.parametrize(
    ("days", "message"), [(0, "after today"), (-3, "after today"), (400, "a year away")]
)
def test_a_review_date_out_of_range_is_refused(high_case, owner, days, message):
    with pytest.raises(ServiceError, match=message) as error:
        _decide(high_case, owner, "high", review_on=timezone.localdate() + datetime.timedelta(days))
    assert error.value.field == "review_on"


# --- What the case page and the home page show ----------------------------------------------


def test_the_case_page_shows_an_overdue_review_in_red(client, high_case, owner):
    Case.objects.filter(pk=high_case.pk).update(
        risk_review_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    client.force_login(owner)
    html = client.get(reverse("referrals:case_detail", args=[high_case.pk])).content.decode()
    review = html[html.index('data-testid="risk-review"') :]
    assert 'govuk-tag--red">Review overdue' in review[: review.index("</dd>")]


def test_the_case_page_costs_the_same_queries_for_one_decision_or_ten(
    client, question_sets, high_case, owner, isac
):
    client.force_login(owner)
    url = reverse("referrals:case_detail", args=[high_case.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(9):  # ending high, as it began
        _decide(high_case, owner, ["medium", "high"][n % 2 == 0])
    _dash(high_case, isac, 11)
    with CaptureQueriesContext(connection) as ten:
        client.get(url)
    assert len(ten) == len(one)


def _item(user, label):
    return next((item for item in work_for(user) if item.label == label), None)


def test_the_home_page_lists_reviews_past_due_and_proposals_waiting(
    client, question_sets, high_case, owner, lead, isac
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Case.objects.filter(pk=high_case.pk).update(risk_review_on=yesterday)
    CaseFactory(owner=owner, risk_review_on=yesterday, status=Case.Status.CLOSED)
    CaseFactory(owner=owner, risk_review_on=timezone.localdate())
    CaseFactory(owner=lead, risk_review_on=yesterday)
    _dash(high_case, isac, 11)

    assert _item(owner, "Your cases past their risk review date").count == 1
    assert _item(owner, "Risk proposals waiting for your decision").count == 1
    # The tactical lead decides on any case; the ISAC, only on their own.
    assert _item(lead, "Risk proposals waiting for your decision").count == 1
    assert _item(isac, "Risk proposals waiting for your decision") is None

    client.force_login(owner)
    page = client.get(reverse("referrals:risk_work")).content.decode()
    assert high_case.reference in page[page.index('data-testid="reviews-overdue"') :]
    proposals = page[page.index('data-testid="risk-proposals"') :]
    assert reverse("referrals:case_risk", args=[high_case.pk]) in proposals


def test_the_home_page_s_risk_items_cost_constant_queries(question_sets, owner, isac):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    def count():
        with CaptureQueriesContext(connection) as queries:
            work_for(owner)
        return len(queries)

    before = count()
    for _ in range(5):
        case = CaseFactory(owner=owner, risk_review_on=yesterday, risk_level="high")
        AgencyReferral.objects.create(case=case, agency=isac.agency, reason="x", referred_by=owner)
        _sdash(case, isac, 0)
    assert count() == before
