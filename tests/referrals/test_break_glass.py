"""Break-glass (issue 14, item 8): those who see every case open a case or person outside their
own work only after giving a reason, which is logged and remembered for the session; "who has
seen this record" per case and person; and the tactical lead's alert on unusual access."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from referrals.access import in_own_work, person_in_own_work
from referrals.models import Case
from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent, UnusualAccess

from ..factories import AgencyFactory, UserFactory
from ..meetings.factories import AgendaItemFactory, MeetingFactory
from ..pages import submit
from ..spo.factories import ApplicationFactory
from .factories import CaseFactory
from .factories_assessments import RiskAssessmentFactory

pytestmark = pytest.mark.django_db


def closed_case(**kwargs):
    return CaseFactory(status=Case.Status.CLOSED, closed_at=timezone.now(), **kwargs)


# --- The rule ------------------------------------------------------------------------------


def test_the_coordinators_own_work_is_every_open_case_and_what_they_had_a_part_in(make_user):
    coordinator = make_user(Role.COORDINATOR)
    assert in_own_work(coordinator, CaseFactory())
    assert not in_own_work(coordinator, closed_case())
    assert in_own_work(coordinator, closed_case(owner=coordinator))
    assert in_own_work(coordinator, closed_case(risk_decided_by=coordinator))
    due = closed_case(review_due_since=timezone.localdate())
    assert in_own_work(coordinator, due), "a closed record due for review is the reviewers' work"


def test_the_tactical_leads_own_work_is_high_risk_and_their_meetings(make_user):
    lead = make_user(Role.TACTICAL_LEAD)
    assert in_own_work(lead, CaseFactory(risk_level="high"))
    assert not in_own_work(lead, CaseFactory(risk_level="medium"))
    assert in_own_work(lead, CaseFactory(risk_level="medium", owner=lead))
    on_agenda = AgendaItemFactory(case=CaseFactory(risk_level="medium")).case
    assert in_own_work(lead, on_agenda), "a meeting still to come"
    long_ago = timezone.now() - datetime.timedelta(days=100)
    old = AgendaItemFactory(
        case=CaseFactory(risk_level="medium"),
        meeting=MeetingFactory(starts_at=long_ago, status="held"),
    ).case
    assert not in_own_work(lead, old), "held more than 90 days ago"
    recent = timezone.now() - datetime.timedelta(days=30)
    followed_up = AgendaItemFactory(
        case=CaseFactory(risk_level="medium"),
        meeting=MeetingFactory(starts_at=recent, status="held"),
    ).case
    assert in_own_work(lead, followed_up)


def test_the_solicitors_own_work_is_the_cases_with_an_spo_application(make_user):
    solicitor = make_user(Role.SOLICITOR)
    assert in_own_work(solicitor, ApplicationFactory().case)
    assert in_own_work(solicitor, CaseFactory(risk_level="high")), "considered for an order"
    assert not in_own_work(solicitor, CaseFactory(risk_level="medium"))


def test_a_named_advocate_is_never_asked_and_isacs_and_partners_never_are(make_user):
    isac = make_user(Role.ISAC)
    partner = make_user(Role.PARTNER, agency=AgencyFactory())
    case = closed_case()
    assert in_own_work(isac, case) and in_own_work(partner, case)


def test_own_work_is_one_query(make_user, django_assert_num_queries):
    lead = make_user(Role.TACTICAL_LEAD)
    case = CaseFactory()
    with django_assert_num_queries(1):
        in_own_work(lead, case)
    with django_assert_num_queries(1):
        person_in_own_work(lead, case.victim)


def test_a_person_is_own_work_through_their_cases(make_user):
    lead = make_user(Role.TACTICAL_LEAD)
    high = CaseFactory(risk_level="high")
    medium = CaseFactory(risk_level="medium")
    assert person_in_own_work(lead, high.victim)
    assert person_in_own_work(lead, high.suspects.first())
    assert not person_in_own_work(lead, medium.victim)


# --- Opening a case outside one's own work -------------------------------------------------


def test_a_case_outside_own_work_asks_why_logs_the_reason_and_remembers_it(client, make_user):
    lead = make_user(Role.TACTICAL_LEAD)
    case = CaseFactory(risk_level="medium")
    client.force_login(lead)
    url = reverse("referrals:case_detail", args=[case.pk])
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("referrals:case_break_glass", args=[case.pk])
    page = response.content.decode()
    assert "Why do you need to open this case?" in page
    assert case.victim.last_name not in page, "the reason page names nobody"
    assert not AuditEvent.objects.filter(action="consultation", object_id=str(case.pk)).exists()

    refused = submit(client, response, "Continue", {"reason": "  "})
    assert refused.status_code == 200
    assert "Enter why you need to open it." in refused.content.decode()

    opened = submit(client, refused, "Continue", {"reason": "Victim rang; ISAC away"}, follow=True)
    assert opened.redirect_chain[-1][0] == url
    assert case.victim.last_name in opened.content.decode()
    glass = AuditEvent.objects.filter(object_id=str(case.pk), break_glass=True)
    assert glass.count() == 2  # the reason given, then the page it opened
    assert set(glass.values_list("justification", flat=True)) == {"Victim rang; ISAC away"}
    assert all(f"referrals.person:{case.victim_id}" in e.records for e in glass)

    again = client.get(url)
    assert again.status_code == 200, "not asked again this session"
    assert glass.all().count() == 3

    client.logout()
    client.force_login(lead)
    assert client.get(url).status_code == 302, "a new session asks again"


def test_the_coordinator_opens_open_cases_without_a_reason(client, coordinator):
    client.force_login(coordinator)
    case = CaseFactory()
    assert client.get(reverse("referrals:case_detail", args=[case.pk])).status_code == 200
    event = AuditEvent.objects.get(object_id=str(case.pk), action="consultation")
    assert not event.break_glass


def test_a_person_outside_own_work_asks_why(client, make_user):
    lead = make_user(Role.TACTICAL_LEAD)
    person = CaseFactory(risk_level="medium").victim
    client.force_login(lead)
    response = client.get(reverse("referrals:person_detail", args=[person.pk]), follow=True)
    assert "Why do you need to open this person" in response.content.decode()
    opened = submit(client, response, "Continue", {"reason": "Court asked"}, follow=True)
    assert person.last_name in opened.content.decode()
    event = AuditEvent.objects.filter(object_type="referrals.person", break_glass=True).first()
    assert event.justification == "Court asked"


# --- Who has seen this record --------------------------------------------------------------


def test_the_case_access_log_shows_everyone_who_saw_it(client, coordinator, make_user):
    lead = make_user(Role.TACTICAL_LEAD, username="lead1")
    case = CaseFactory(risk_level="medium")
    other = CaseFactory()
    client.force_login(lead)
    client.post(reverse("referrals:case_break_glass", args=[case.pk]), {"reason": "Cover"})
    client.force_login(coordinator)
    client.get(reverse("referrals:case_list"))  # a list naming the case
    client.get(reverse("referrals:case_detail", args=[other.pk]))
    page = client.get(reverse("referrals:case_detail", args=[case.pk]))
    assert reverse("referrals:case_access_log", args=[case.pk]) in page.content.decode()

    log = client.get(reverse("referrals:case_access_log", args=[case.pk]))
    assert log.status_code == 200
    html = log.content.decode()
    assert "lead1" in html and "Cover" in html and "Outside own work" in html
    assert "Case list" in html, "lists it appeared on"
    assert other.reference not in html
    assert case.victim.last_name not in html, "references only"
    assert AuditEvent.objects.filter(path=reverse("referrals:case_access_log", args=[case.pk]))


def test_the_person_access_log_finds_the_case_pages_that_showed_them(client, administrator):
    case = CaseFactory()
    viewer = UserFactory(roles=[Role.COORDINATOR], username="viewer1")
    client.force_login(viewer)
    client.get(reverse("referrals:case_detail", args=[case.pk]))
    client.force_login(administrator)
    log = client.get(reverse("referrals:person_access_log", args=[case.victim_id]))
    html = log.content.decode()
    assert "viewer1" in html and case.reference in html
    assert case.victim.last_name not in html


def test_the_access_log_is_paged(client, coordinator, make_user):
    case = CaseFactory()
    for _ in range(55):
        AuditEvent.objects.create(
            action="consultation", object_type="referrals.case", object_id=str(case.pk)
        )
    client.force_login(coordinator)
    first = client.get(reverse("referrals:case_access_log", args=[case.pk]))
    assert first.context["page"].next_link
    assert len(first.context["events"]) == 50


# --- Unusual access ------------------------------------------------------------------------


@pytest.fixture
def few(settings):
    settings.UNUSUAL_ACCESS_RECORDS = 3
    settings.UNUSUAL_ACCESS_MINUTES = 10
    return settings


def test_opening_many_records_alerts_the_tactical_lead_once(
    client, coordinator, make_user, few, django_capture_on_commit_callbacks
):
    lead = make_user(Role.TACTICAL_LEAD, email="lead@example.org")
    cases = [CaseFactory() for _ in range(4)]
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        for case in cases[:2]:
            client.get(reverse("referrals:case_detail", args=[case.pk]))
            client.get(reverse("referrals:case_detail", args=[case.pk]))  # the same record
        assert not UnusualAccess.objects.exists()
        client.get(reverse("referrals:case_detail", args=[cases[2].pk]))
        client.get(reverse("referrals:case_detail", args=[cases[3].pk]))
    alert = UnusualAccess.objects.get()
    assert alert.user == coordinator and alert.records == 3
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lead@example.org"]
    assert f"/audit/?user={coordinator.username}" in message.body
    for case in cases:
        assert case.victim.last_name not in message.body + message.subject

    client.force_login(lead)
    home = client.get(reverse("home:index")).content.decode()
    assert "Unusual access to review" in home and coordinator.username in home
    review = client.get(reverse("audit:unusual_access"))
    reviewed = submit(client, review, f"Mark as reviewed ({coordinator.username})", follow=True)
    assert "Nothing to review." in reviewed.content.decode()
    assert "Unusual access to review" not in client.get(reverse("home:index")).content.decode()


def test_lists_do_not_count_as_opening_records(client, coordinator, few):
    for _ in range(5):
        CaseFactory()
    client.force_login(coordinator)
    client.get(reverse("referrals:case_list"))
    assert not UnusualAccess.objects.exists()


def test_the_check_costs_one_query_below_the_threshold(coordinator, django_assert_num_queries):
    from stalking_clinic.audit.services import record

    case = CaseFactory()
    with django_assert_num_queries(2):  # the insert and the count
        record(actor=coordinator, action="consultation", obj=case)


def test_every_page_of_a_case_outside_own_work_asks_why_first_and_then_opens(client, make_user):
    """Not only the case page: its risk page, an assessment, any page that shows the case. The
    reason page goes back to the page that was asked for."""
    lead = make_user(Role.TACTICAL_LEAD)
    case = CaseFactory(risk_level="medium")
    assessment = RiskAssessmentFactory(case=case)
    client.force_login(lead)
    risk = reverse("referrals:case_risk", args=[case.pk])
    asked = client.get(risk, follow=True)
    assert asked.redirect_chain[-1][0].startswith(
        reverse("referrals:case_break_glass", args=[case.pk]) + "?next="
    )
    assert "Why do you need to open this case?" in asked.content.decode()
    assert not AuditEvent.objects.filter(action="consultation", object_id=str(case.pk)).exists()

    opened = submit(client, asked, "Continue", {"reason": "Court asked about it"}, follow=True)
    assert opened.redirect_chain[-1][0] == risk
    assert opened.status_code == 200
    # The reason holds for the rest of the case's pages this session.
    detail = reverse("referrals:assessment_detail", args=[assessment.pk])
    assert client.get(detail).status_code == 200


def test_a_page_of_an_assessment_asks_why_too(client, make_user):
    lead = make_user(Role.TACTICAL_LEAD)
    assessment = RiskAssessmentFactory(case=CaseFactory(risk_level="medium"))
    client.force_login(lead)
    response = client.get(reverse("referrals:assessment_detail", args=[assessment.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("referrals:case_break_glass", args=[assessment.case_id])
    )


def test_the_reason_page_goes_back_only_to_this_site(client, make_user):
    lead = make_user(Role.TACTICAL_LEAD)
    case = CaseFactory(risk_level="medium")
    client.force_login(lead)
    url = reverse("referrals:case_break_glass", args=[case.pk]) + "?next=https://evil.example/"
    response = client.post(url, {"reason": "Checking"})
    assert response["Location"] == reverse("referrals:case_detail", args=[case.pk])
