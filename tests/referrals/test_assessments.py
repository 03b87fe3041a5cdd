"""Risk assessments: S-DASH, DASH and SRP rules, versioned wording, the case's risk, and the pages
(who may record, read and amend; the audit of every view; errors shown without losing input)."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from referrals.models import AgencyReferral, Case, QuestionSet, RiskAssessment, Share
from referrals.selectors.assessments import assessments_panel
from referrals.selectors.cases import needs_isac_referral
from referrals.services.assessments import (
    SRP_DOMAINS,
    assessment_record,
    question_set_load,
)
from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ServiceError

from ..break_glass import give_reason
from .factories import SDASH_KEYS, CaseFactory, QuestionSetFactory
from .factories_assessments import (
    DASH_KEYS,
    DashQuestionSetFactory,
    RiskAssessmentFactory,
    SRPQuestionSetFactory,
    sdash_answers,
)

pytestmark = pytest.mark.django_db

SRP_OK = {
    "prior_relationship": "Ex-partner of four years",
    "motivation": "rejected",
    "violence": "low",
    "violence_rationale": "No threats or past violence known.",
    "persistence": "low",
    "persistence_rationale": "Stopped after a warning last year.",
    "recurrence": "low",
    "recurrence_rationale": "No earlier episodes.",
    "psychosocial_damage": "low",
    "psychosocial_damage_rationale": "Victim coping, working as usual.",
    "recommended_management": "Warning letter; review in a month.",
}


@pytest.fixture
def sdash(db):
    return QuestionSetFactory()  # S-DASH test wording: medium at 3 yes, high at 6


@pytest.fixture
def dash(db):
    return DashQuestionSetFactory()


@pytest.fixture
def srp(db):
    return SRPQuestionSetFactory()


@pytest.fixture
def case(db):
    return CaseFactory(risk_level="medium")


def _sdash(case, by, yes=0, *, risk_level=None, **kwargs):
    indicated = "high" if yes >= 6 else "medium" if yes >= 3 else "standard"
    return assessment_record(
        case=case,
        instrument="sdash",
        by=by,
        answers=kwargs.pop("answers", None) or sdash_answers(yes),
        risk_level=risk_level or indicated,
        **kwargs,
    )


def _srp(case, by, **overrides):
    return assessment_record(case=case, instrument="srp", by=by, **{**SRP_OK, **overrides})


# --- Scoring and judgement -------------------------------------------------------------------


def test_sdash_counts_yes_answers_and_indicates_the_level(sdash, case, coordinator):
    assessment = _sdash(
        case, coordinator, answers=sdash_answers(3, not_known=4), risk_level="medium"
    )
    assert (assessment.yes_count, assessment.indicated_level) == (3, "medium")
    assert assessment.question_set == sdash
    assert assessment.answers["previous_harassment"] == "yes"
    assert list(assessment.answers.values()).count("not_known") == 4


@pytest.mark.parametrize(
    ("yes", "indicated"), [(0, "standard"), (2, "standard"), (3, "medium"), (6, "high")]
)
def test_the_count_indicates_the_level_from_the_thresholds(
    sdash, case, coordinator, yes, indicated
):
    assert _sdash(case, coordinator, yes).indicated_level == indicated


def test_judging_the_risk_lower_than_the_count_is_refused(sdash, case, coordinator):
    with pytest.raises(ServiceError, match="cannot be lower than the count suggests") as error:
        _sdash(case, coordinator, 6, risk_level="medium")
    assert error.value.field == "risk_level"
    assert not RiskAssessment.objects.exists()


def test_judging_the_risk_higher_needs_reasons(sdash, case, coordinator):
    with pytest.raises(ServiceError, match="reasons") as error:
        _sdash(case, coordinator, 1, risk_level="high", judgement_reasons="  ")
    assert error.value.field == "judgement_reasons"
    assessment = _sdash(
        case, coordinator, 1, risk_level="high", judgement_reasons="Threats to kill last night"
    )
    assert (assessment.indicated_level, assessment.risk_level) == ("standard", "high")
    assert assessment.judgement_reasons == "Threats to kill last night"


def test_every_question_must_be_answered(sdash, case, coordinator):
    answers = sdash_answers(2)
    del answers["threats"]
    with pytest.raises(ServiceError, match="question 6") as error:
        _sdash(case, coordinator, answers=answers, risk_level="standard")
    assert error.value.field == "answer_threats"


def test_answers_to_other_questions_are_refused(sdash, case, coordinator):
    answers = {**sdash_answers(0), "made_up": "yes"}
    with pytest.raises(ServiceError, match="do not match the current questions"):
        _sdash(case, coordinator, answers=answers, risk_level="standard")


def test_dash_with_14_yes_answers_is_high(dash, case, coordinator):
    answers = {key: "yes" if n < 14 else "no" for n, key in enumerate(DASH_KEYS)}
    assessment = assessment_record(
        case=case, instrument="dash", by=coordinator, answers=answers, risk_level="high"
    )
    assert (assessment.yes_count, assessment.indicated_level) == (14, "high")
    answers[DASH_KEYS[13]] = "no"
    with pytest.raises(ServiceError, match="lower"):
        assessment_record(
            case=case, instrument="dash", by=coordinator, answers=answers, risk_level="standard"
        )


@pytest.mark.parametrize(
    ("levels", "risk"),
    [
        (("low", "low", "low", "low"), "standard"),
        (("low", "moderate", "low", "low"), "medium"),
        (("moderate", "low", "moderate", "high"), "high"),
    ],
)
def test_srp_risk_is_set_by_the_highest_domain(srp, case, coordinator, levels, risk):
    domains = dict(zip(SRP_DOMAINS, levels, strict=True))
    assessment = _srp(case, coordinator, **domains)
    assert assessment.risk_level == risk
    assert assessment.yes_count is None
    assert assessment.motivation == "rejected"


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"violence": ""}, "violence"),
        ({"recurrence_rationale": " "}, "recurrence_rationale"),
        ({"motivation": "bored"}, "motivation"),
        ({"recommended_management": ""}, "recommended_management"),
    ],
)
def test_srp_needs_every_domain_with_its_rationale(srp, case, coordinator, override, field):
    with pytest.raises(ServiceError) as error:
        _srp(case, coordinator, **override)
    assert error.value.field == field


def test_nothing_can_be_recorded_until_the_wording_is_loaded(case, coordinator):
    with pytest.raises(ServiceError, match="have not been loaded"):
        _sdash(case, coordinator, 0)


def test_a_closed_case_cannot_be_assessed(sdash, coordinator):
    case = CaseFactory(status=Case.Status.CLOSED)
    with pytest.raises(ServiceError, match="closed"):
        _sdash(case, coordinator, 0)


# --- The case's risk -------------------------------------------------------------------------


def test_a_higher_assessment_raises_the_case_and_a_lower_one_only_proposes(
    sdash, case, coordinator
):
    raised = _sdash(case, coordinator, 6)
    case.refresh_from_db()
    assert (case.risk_level, raised.proposal) == ("high", "")
    lower = _sdash(case, coordinator, 0)
    case.refresh_from_db()
    lower.refresh_from_db()
    assert (case.risk_level, lower.proposal) == ("high", RiskAssessment.Proposal.PENDING)


def test_a_rise_to_high_puts_the_case_forward_for_the_clinic_meeting(sdash, case, coordinator):
    assert case.for_clinic_meeting_since is None
    _sdash(case, coordinator, 6)
    case.refresh_from_db()
    since = case.for_clinic_meeting_since
    assert since is not None
    _sdash(case, coordinator, 0)
    _sdash(case, coordinator, 7)
    case.refresh_from_db()
    assert case.for_clinic_meeting_since == since  # already on the list: not moved


def test_a_medium_assessment_does_not_put_the_case_forward(sdash, coordinator):
    case = CaseFactory(risk_level="standard")
    _sdash(case, coordinator, 3)
    case.refresh_from_db()
    assert (case.risk_level, case.for_clinic_meeting_since) == ("medium", None)


def test_recording_is_audited_and_so_is_the_change_of_case_risk(sdash, case, coordinator):
    assessment = _sdash(case, coordinator, 6)
    collected = AuditEvent.objects.get(action="collection", object_type="referrals.riskassessment")
    assert (collected.actor, collected.object_id) == (coordinator, str(assessment.pk))
    altered = AuditEvent.objects.get(action="alteration", object_type="referrals.case")
    assert altered.object_id == str(case.pk)
    assert "risk_level" in altered.changed_fields


def test_no_case_alteration_is_logged_when_the_risk_stays_the_same(sdash, case, coordinator):
    _sdash(case, coordinator, 3)  # medium, as the case already was
    assert not AuditEvent.objects.filter(action="alteration", object_type="referrals.case")


def test_needs_isac_referral_when_high_open_and_not_referred(isac_service, probation, coordinator):
    case = CaseFactory(risk_level="high")
    assert needs_isac_referral(case)
    AgencyReferral.objects.create(case=case, agency=probation, reason="x", referred_by=coordinator)
    assert needs_isac_referral(case)  # probation is not an ISAC service
    AgencyReferral.objects.create(
        case=case, agency=isac_service, reason="x", referred_by=coordinator
    )
    assert not needs_isac_referral(case)
    assert not needs_isac_referral(CaseFactory(risk_level="medium"))
    assert not needs_isac_referral(CaseFactory(risk_level="high", status=Case.Status.CLOSED))


# --- Amendments ------------------------------------------------------------------------------


def test_an_amendment_is_a_new_assessment_and_the_original_is_unchanged(sdash, case, coordinator):
    original = _sdash(case, coordinator, 3)
    before = RiskAssessment.objects.filter(pk=original.pk).values().get()
    amendment = _sdash(
        case, coordinator, 6, amends=original, amendment_reason="Victim disclosed threats"
    )
    assert amendment.pk != original.pk
    assert (amendment.amends, amendment.amendment_reason) == (original, "Victim disclosed threats")
    assert RiskAssessment.objects.filter(pk=original.pk).values().get() == before
    case.refresh_from_db()
    assert case.risk_level == "high"


def test_an_amendment_needs_a_reason(sdash, case, coordinator):
    original = _sdash(case, coordinator, 3)
    with pytest.raises(ServiceError) as error:
        _sdash(case, coordinator, 3, amends=original, amendment_reason="")
    assert error.value.field == "amendment_reason"


def test_an_assessment_of_another_case_cannot_be_amended(sdash, case, coordinator):
    other = _sdash(CaseFactory(), coordinator, 3)
    with pytest.raises(ServiceError, match="this case"):
        _sdash(case, coordinator, 3, amends=other, amendment_reason="Wrong case")


def test_an_assessment_is_amended_only_once(sdash, case, coordinator):
    original = _sdash(case, coordinator, 3)
    _sdash(case, coordinator, 4, amends=original, amendment_reason="First")
    with pytest.raises(ServiceError, match="already been amended"):
        _sdash(case, coordinator, 5, amends=original, amendment_reason="Second")


def test_an_srp_cannot_amend_an_sdash(sdash, srp, case, coordinator):
    original = _sdash(case, coordinator, 3)
    with pytest.raises(ServiceError, match="same instrument"):
        _srp(case, coordinator, amends=original, amendment_reason="Different tool")


# --- Versioned wording -----------------------------------------------------------------------


def _data(version="force-1", **overrides):
    data = {
        "instrument": "sdash",
        "version": version,
        "title": "S-DASH (force wording)",
        "questions": [{"key": key, "text": f"Force question on {key}?"} for key in SDASH_KEYS],
        "thresholds": {"medium": 3, "high": 6},
    }
    return {**data, **overrides}


def test_loading_a_new_version_makes_it_current(sdash):
    loaded = question_set_load(data=_data())
    sdash.refresh_from_db()
    assert loaded.is_current and not sdash.is_current
    assert AuditEvent.objects.filter(action="collection", object_id=str(loaded.pk)).exists()


def test_loading_the_same_version_again_changes_nothing(db):
    first = question_set_load(data=_data())
    again = question_set_load(data=_data())
    assert again.pk == first.pk
    assert QuestionSet.objects.count() == 1


def test_a_version_in_use_is_never_changed_by_a_reload(sdash, case, coordinator):
    question_set_load(data=_data())
    assessment = _sdash(case, coordinator, 3)
    changed = _data(questions=[{"key": k, "text": "Reworded?"} for k in SDASH_KEYS])
    with pytest.raises(ServiceError, match="load it as a new version"):
        question_set_load(data=changed)
    assessment.refresh_from_db()
    assert assessment.question_set.questions[0]["text"] == "Force question on very_frightened?"


def test_assessments_keep_the_wording_they_used_when_a_new_version_is_loaded(
    sdash, case, coordinator
):
    old = _sdash(case, coordinator, 3)
    new_set = question_set_load(data=_data("force-2"))
    new = _sdash(case, coordinator, 3)
    old.refresh_from_db()
    assert (old.question_set, new.question_set) == (sdash, new_set)


def test_loading_without_making_current_keeps_the_old_one(sdash):
    loaded = question_set_load(data=_data(), make_current=False)
    sdash.refresh_from_db()
    assert sdash.is_current and not loaded.is_current


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "JSON object"),
        (_data(instrument="oasys"), "'instrument' must be one of"),
        (_data(version=""), "'version'"),
        (_data(questions=[]), "non-empty list"),
        (_data(questions=[{"key": "Bad Key", "text": "?"}]), "lower case"),
        (_data(questions=[{"key": "a", "text": "?"}, {"key": "a", "text": "?"}]), "used twice"),
        (_data(questions=[{"key": "a", "text": ""}]), "no 'text'"),
        (_data(thresholds={"medium": 3}), "'thresholds'"),
        (_data(thresholds={"medium": 7, "high": 6}), "medium <= high"),
        (_data(thresholds={"medium": 3, "high": 12}), "number of questions"),
        (_data(treshold={}), "Unknown field"),
        (
            _data(instrument="srp", thresholds={}, questions=[{"key": "violence", "text": "V"}]),
            "exactly the domains",
        ),
    ],
)
def test_badly_shaped_question_sets_are_refused_with_a_clear_message(db, data, message):
    with pytest.raises(ServiceError, match=re.escape(message)):
        question_set_load(data=data)
    assert not QuestionSet.objects.exists()


# --- Pages: who may use them -----------------------------------------------------------------


@pytest.fixture
def isac_case(isac_service, coordinator):
    """A case referred to the ISAC service (so its ISACs see it in full)."""
    case = CaseFactory()
    AgencyReferral.objects.create(
        case=case, agency=isac_service, reason="High risk", referred_by=coordinator
    )
    return case


def _user(role, make_user, persona, isac, probation_user, isac_service):
    if role == "isac":
        return isac
    if role == "isac_other":
        return make_user(Role.ISAC, username="isac_elsewhere")  # no agency: sees no case
    if role in {"partner_shared", "partner_summary_only", "partner_unshared"}:
        return probation_user
    return persona(role)


def _share(case, user, role, coordinator):
    sections = {"partner_shared": ["summary", "assessments"], "partner_summary_only": ["summary"]}
    if role in sections:
        Share.objects.create(
            case=case,
            agency=user.agency,
            sections=sections[role],
            reason="Clinic meeting",
            shared_by=coordinator,
        )


READERS = {
    "coordinator": 200,
    "tactical_lead": 200,
    "solicitor": 200,
    "isac": 200,
    "isac_other": 404,
    "partner_shared": 200,
    "partner_summary_only": 404,
    "partner_unshared": 404,
    "officer": 403,
    "champion": 403,
    "administrator": 403,
}
WRITERS = {
    "coordinator": 200,
    "isac": 200,
    "isac_other": 404,
    "tactical_lead": 403,
    "solicitor": 403,
    "partner_shared": 403,
    "officer": 403,
    "administrator": 403,
}


@pytest.fixture
def page_user(make_user, persona, isac, probation_user, isac_service, coordinator, isac_case):
    def get(role):
        user = _user(role, make_user, persona, isac, probation_user, isac_service)
        _share(isac_case, user, role, coordinator)
        return user

    return get


@pytest.mark.parametrize(("role", "status"), sorted(READERS.items()))
def test_who_may_read_an_assessment(client, sdash, isac_case, page_user, role, status):
    assessment = RiskAssessmentFactory(case=isac_case, question_set=sdash)
    client.force_login(page_user(role))
    # Outside the tactical lead's and solicitor's own work, the case asks why first.
    give_reason(client, isac_case)
    response = client.get(reverse("referrals:assessment_detail", args=[assessment.pk]))
    assert response.status_code == status, role


@pytest.mark.parametrize(("role", "status"), sorted(WRITERS.items()))
def test_who_may_open_the_form_to_record(client, sdash, isac_case, page_user, role, status):
    client.force_login(page_user(role))
    response = client.get(reverse("referrals:assessment_new", args=[isac_case.pk, "sdash"]))
    assert response.status_code == status, role


@pytest.mark.parametrize(("role", "status"), sorted(WRITERS.items()))
def test_who_may_amend(client, sdash, isac_case, page_user, role, status):
    assessment = RiskAssessmentFactory(case=isac_case, question_set=sdash)
    client.force_login(page_user(role))
    response = client.get(reverse("referrals:assessment_amend", args=[assessment.pk]))
    assert response.status_code == status, role


def test_outsider_and_anonymous_cannot_use_the_pages(client, sdash, outsider, isac_case):
    assessment = RiskAssessmentFactory(case=isac_case, question_set=sdash)
    urls = [
        reverse("referrals:assessment_new", args=[isac_case.pk, "sdash"]),
        reverse("referrals:assessment_detail", args=[assessment.pk]),
        reverse("referrals:assessment_amend", args=[assessment.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to sign in
    client.force_login(outsider)
    for url in urls:
        assert client.get(url).status_code == 403


def test_nobody_can_post_an_assessment_to_a_case_they_cannot_write(
    client, sdash, isac_case, persona
):
    client.force_login(persona(Role.TACTICAL_LEAD))
    url = reverse("referrals:assessment_new", args=[isac_case.pk, "sdash"])
    assert client.post(url, _form_post(sdash_answers(0), "standard")).status_code == 403
    assert not RiskAssessment.objects.exists()


def test_unknown_instrument_is_not_found(client, coordinator, case):
    client.force_login(coordinator)
    url = reverse("referrals:assessment_new", args=[case.pk, "oasys"])
    assert client.get(url).status_code == 404


# --- Pages: recording ------------------------------------------------------------------------


def _form_post(answers, risk_level, **extra):
    return {
        **{f"answer_{key}": value for key, value in answers.items()},
        "risk_level": risk_level,
        **extra,
    }


def test_isac_records_an_sdash_and_returns_to_the_case(client, sdash, isac, isac_case):
    client.force_login(isac)
    url = reverse("referrals:assessment_new", args=[isac_case.pk, "sdash"])
    page = client.get(url).content.decode()
    assert "Test question about threats?" in page
    assert "version test-1" in page
    response = client.post(url, _form_post(sdash_answers(6), "high"))
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:case_detail", args=[isac_case.pk])
    assessment = RiskAssessment.objects.get()
    assert (assessment.assessed_by, assessment.yes_count, assessment.risk_level) == (
        isac,
        6,
        "high",
    )
    isac_case.refresh_from_db()
    assert isac_case.risk_level == "high"


def test_a_missing_answer_is_shown_at_its_question_and_other_answers_are_kept(
    client, sdash, coordinator, case
):
    client.force_login(coordinator)
    url = reverse("referrals:assessment_new", args=[case.pk, "sdash"])
    answers = sdash_answers(2)
    del answers["threats"]
    response = client.post(url, _form_post(answers, "standard", judgement_reasons="Kept text"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page
    assert 'id="id_answer_threats_1_error"' in page
    assert "Select yes, no or not known for question 6." in page
    assert 'href="#id_answer_threats' in page  # the error summary links to the question
    assert re.search(r'name="answer_very_frightened"[^>]*value="yes"[^>]*checked', page)
    assert re.search(r'name="answer_loitering"[^>]*value="no"[^>]*checked', page)
    assert "Kept text" in page
    assert not RiskAssessment.objects.exists()


def test_a_judgement_lower_than_the_count_is_shown_at_the_risk_level(
    client, sdash, coordinator, case
):
    client.force_login(coordinator)
    url = reverse("referrals:assessment_new", args=[case.pk, "sdash"])
    response = client.post(url, _form_post(sdash_answers(6), "medium"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_risk_level_1_error"' in page
    assert "cannot be lower than the count suggests: 6 yes answers indicate high risk" in page
    assert re.search(r'name="answer_past_violence"[^>]*value="no"[^>]*checked', page)
    assert not RiskAssessment.objects.exists()


def test_a_higher_judgement_without_reasons_is_shown_at_the_reasons(
    client, sdash, coordinator, case
):
    client.force_login(coordinator)
    url = reverse("referrals:assessment_new", args=[case.pk, "sdash"])
    response = client.post(url, _form_post(sdash_answers(0), "high"))
    assert 'id="id_judgement_reasons_1_error"' in response.content.decode()


def test_coordinator_records_an_srp(client, srp, coordinator, case):
    client.force_login(coordinator)
    url = reverse("referrals:assessment_new", args=[case.pk, "srp"])
    page = client.get(url).content.decode()
    assert "Guidance on persistence" in page
    response = client.post(url, {**SRP_OK, "violence": "high"})
    assert response.status_code == 302
    assert RiskAssessment.objects.get().risk_level == "high"


def test_srp_missing_rationale_is_shown_at_the_field_and_the_rest_kept(
    client, srp, coordinator, case
):
    client.force_login(coordinator)
    url = reverse("referrals:assessment_new", args=[case.pk, "srp"])
    response = client.post(url, {**SRP_OK, "violence_rationale": ""})
    page = response.content.decode()
    assert 'id="id_violence_rationale_1_error"' in page
    assert "Stopped after a warning last year." in page


def test_the_form_says_when_the_wording_has_not_been_loaded(client, coordinator, case):
    client.force_login(coordinator)
    response = client.get(reverse("referrals:assessment_new", args=[case.pk, "dash"]))
    assert response.status_code == 200
    assert "questions have not been loaded" in response.content.decode()


def test_question_wording_is_escaped(client, coordinator, case):
    QuestionSetFactory(
        questions=[{"key": "a", "text": "<script>alert(1)</script>"}],
        thresholds={"medium": 1, "high": 1},
    )
    client.force_login(coordinator)
    page = client.get(reverse("referrals:assessment_new", args=[case.pk, "sdash"])).content
    assert b"<script>alert(1)" not in page
    assert b"&lt;script&gt;alert(1)" in page


# --- Pages: reading and amending -------------------------------------------------------------


def test_reading_an_assessment_is_logged_as_a_consultation(client, sdash, coordinator, case):
    assessment = _sdash(case, coordinator, 3)
    client.force_login(coordinator)
    client.get(reverse("referrals:assessment_detail", args=[assessment.pk]))
    event = AuditEvent.objects.get(action="consultation")
    assert (event.actor, event.object_type, event.object_id) == (
        coordinator,
        "referrals.riskassessment",
        str(assessment.pk),
    )


def test_the_detail_shows_the_wording_of_the_version_used(client, sdash, coordinator, case):
    assessment = _sdash(case, coordinator, 1, risk_level="high", judgement_reasons="Gut feeling")
    question_set_load(data=_data("force-2"))  # new wording loaded later
    client.force_login(coordinator)
    page = client.get(reverse("referrals:assessment_detail", args=[assessment.pk])).content
    page = page.decode()
    assert "Test question about very_frightened?" in page
    assert "Force question" not in page
    assert "version test-1" in page
    assert 'data-testid="yes-count">1 of 11' in page
    assert "Gut feeling" in page


def test_the_srp_detail_shows_each_domain_with_its_rationale(client, srp, coordinator, case):
    assessment = _srp(case, coordinator, persistence="moderate")
    client.force_login(coordinator)
    page = client.get(reverse("referrals:assessment_detail", args=[assessment.pk])).content
    page = page.decode()
    assert "Risk of persistence" in page
    assert "Moderate" in page
    assert "Stopped after a warning last year." in page
    assert "Warning letter; review in a month." in page


def test_amending_prefills_the_form_and_keeps_the_original(client, sdash, coordinator, case):
    original = _sdash(case, coordinator, 3)
    client.force_login(coordinator)
    url = reverse("referrals:assessment_amend", args=[original.pk])
    page = client.get(url).content.decode()
    assert re.search(r'name="answer_very_frightened"[^>]*value="yes"[^>]*checked', page)
    assert "Why are you amending" in page
    response = client.post(
        url, _form_post(sdash_answers(6), "high", amendment_reason="New disclosure")
    )
    assert response.status_code == 302
    amendment = RiskAssessment.objects.get(amends=original)
    assert amendment.risk_level == "high"
    original.refresh_from_db()
    assert (original.risk_level, original.yes_count) == ("medium", 3)
    detail = client.get(reverse("referrals:assessment_detail", args=[original.pk]))
    assert 'data-testid="amended-by"' in detail.content.decode()
    assert "Amend</a>" not in detail.content.decode()  # amend the latest, not this one


def test_amending_without_a_reason_keeps_the_answers(client, sdash, coordinator, case):
    original = _sdash(case, coordinator, 3)
    client.force_login(coordinator)
    url = reverse("referrals:assessment_amend", args=[original.pk])
    response = client.post(url, _form_post(sdash_answers(6), "high"))
    page = response.content.decode()
    assert 'id="id_amendment_reason_1_error"' in page
    assert re.search(r'name="answer_threats"[^>]*value="yes"[^>]*checked', page)


def test_only_those_who_may_assess_see_the_amend_button(client, sdash, coordinator, persona, case):
    assessment = _sdash(case, coordinator, 3)
    url = reverse("referrals:assessment_detail", args=[assessment.pk])
    client.force_login(coordinator)
    assert "Amend</a>" in client.get(url).content.decode()
    client.force_login(persona(Role.TACTICAL_LEAD))
    assert "Amend</a>" not in client.get(url).content.decode()


# --- The case page's panel -------------------------------------------------------------------


def _render_panel(case, user):
    return render_to_string(
        "referrals/case/_assessments.html",
        {"assessments_panel": assessments_panel(case, user=user)},
        request=RequestFactory().get("/"),
    )


def test_the_panel_lists_assessments_latest_first(sdash, srp, dash, coordinator, case):
    first = _sdash(case, coordinator, 3)
    _sdash(case, coordinator, 6, amends=first, amendment_reason="More incidents")
    panel = assessments_panel(case, user=coordinator)
    rows = panel["assessments"]
    assert [row["assessment"].yes_count for row in rows] == [6, 3]
    assert [row["is_amended"] for row in rows] == [False, True]
    assert panel["can_assess"]
    assert [i["code"] for i in panel["instruments"]] == ["sdash", "srp", "dash"]
    html = _render_panel(case, coordinator)
    assert "Record DASH" in html
    assert "for ex-partner cases" in html


def test_the_panel_offers_nothing_to_record_to_readers(sdash, coordinator, persona, case):
    _sdash(case, coordinator, 3)
    panel = assessments_panel(case, user=persona(Role.TACTICAL_LEAD))
    assert (panel["can_assess"], panel["instruments"]) == (False, [])
    assert len(panel["assessments"]) == 1


def test_the_panel_is_hidden_from_a_partner_without_the_assessments_section(
    sdash, coordinator, probation_user, case
):
    _sdash(case, coordinator, 3)
    Share.objects.create(
        case=case,
        agency=probation_user.agency,
        sections=["summary"],
        reason="Meeting",
        shared_by=coordinator,
    )
    panel = assessments_panel(case, user=probation_user)
    assert (panel["visible"], panel["assessments"]) == (False, [])
    assert "Risk assessments" not in _render_panel(case, probation_user)


def test_the_panel_says_when_isac_referral_is_needed(sdash, coordinator, isac_service, case):
    _sdash(case, coordinator, 6)
    case.refresh_from_db()
    assert assessments_panel(case, user=coordinator)["needs_isac_referral"]


def test_the_panel_costs_the_same_queries_for_one_or_many_assessments(
    sdash, srp, coordinator, django_assert_max_num_queries
):
    one, many = CaseFactory(), CaseFactory()
    RiskAssessmentFactory(case=one, question_set=sdash)
    for _ in range(8):
        RiskAssessmentFactory(case=many, question_set=sdash)
    user = type(coordinator).objects.get(pk=coordinator.pk)
    _render_panel(one, user)  # warm the user's permission cache
    with django_assert_max_num_queries(6) as counted_one:
        _render_panel(one, user)
    with django_assert_max_num_queries(len(counted_one)):
        _render_panel(many, user)


def test_the_case_page_shows_the_panel(client, sdash, coordinator, case):
    _sdash(case, coordinator, 4)
    client.force_login(coordinator)
    page = client.get(reverse("referrals:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="assessments-panel"' in page
    assert reverse("referrals:assessment_new", args=[case.pk, "sdash"]) in page
