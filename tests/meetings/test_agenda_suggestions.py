"""Agenda suggestions: "the system suggests high-risk cases not discussed in a configurable
number of weeks and cases whose risk rose since last discussed"."""

import datetime

import pytest
from django.utils import timezone

from meetings.selectors.agenda import Suggestion, agenda_suggestions

from ..referrals.factories import CaseFactory
from .factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

WEEKS = 6


@pytest.fixture
def meeting():
    return MeetingFactory()


def ago(**kwargs):
    return timezone.now() - datetime.timedelta(**kwargs)


def discussed(case, at, *, risk_agreed="", risk_at_agenda=None):
    """A past meeting's discussion of ``case``."""
    return AgendaItemFactory(
        meeting=MeetingFactory(starts_at=at),
        case=case,
        discussed_at=at,
        risk_agreed=risk_agreed,
        risk_at_agenda=risk_at_agenda if risk_at_agenda is not None else case.risk_level,
    )


def suggested(meeting, **kwargs) -> dict:
    return {s.case.pk: s for s in agenda_suggestions(meeting, **kwargs)}


def test_high_risk_case_never_discussed_is_suggested(meeting):
    case = CaseFactory(risk_level="high")
    [suggestion] = agenda_suggestions(meeting)
    assert suggestion == Suggestion(
        case=case, reason="High risk; never discussed", kind="not_discussed"
    )


def test_medium_and_standard_cases_never_discussed_are_not(meeting):
    CaseFactory(risk_level="medium")
    CaseFactory(risk_level="standard")
    assert agenda_suggestions(meeting) == []


def test_closed_cases_are_not_suggested(meeting):
    CaseFactory(risk_level="high", status="closed")
    risen = CaseFactory(risk_level="high", status="closed")
    discussed(risen, ago(days=3), risk_agreed="medium")
    assert agenda_suggestions(meeting) == []


def test_high_risk_case_discussed_long_ago_is_suggested_with_the_date(meeting):
    case = CaseFactory(risk_level="high")
    at = datetime.datetime(2026, 3, 3, 10, 0, tzinfo=datetime.UTC)
    discussed(case, at, risk_agreed="high")
    [suggestion] = agenda_suggestions(meeting, weeks=1)
    assert suggestion.kind == "not_discussed"
    assert suggestion.reason == "High risk; not discussed since 3 March 2026"


def test_weeks_boundary(meeting):
    just_inside = CaseFactory(risk_level="high")
    discussed(just_inside, ago(weeks=WEEKS) + datetime.timedelta(minutes=5), risk_agreed="high")
    just_outside = CaseFactory(risk_level="high")
    discussed(just_outside, ago(weeks=WEEKS, minutes=5), risk_agreed="high")

    found = suggested(meeting, weeks=WEEKS)

    assert just_outside.pk in found
    assert just_inside.pk not in found


def test_the_last_discussion_counts(meeting):
    case = CaseFactory(risk_level="high")
    discussed(case, ago(weeks=20), risk_agreed="high")
    discussed(case, ago(weeks=1), risk_agreed="high")
    assert agenda_suggestions(meeting) == []


def test_an_agenda_item_not_yet_discussed_does_not_count_as_discussed(meeting):
    case = CaseFactory(risk_level="high")
    AgendaItemFactory(meeting=MeetingFactory(starts_at=ago(days=2)), case=case)
    [suggestion] = agenda_suggestions(meeting)
    assert suggestion.reason == "High risk; never discussed"


def test_weeks_default_comes_from_the_setting(meeting, settings):
    case = CaseFactory(risk_level="high")
    discussed(case, ago(weeks=3), risk_agreed="high")

    settings.MEETINGS_REVIEW_WEEKS = 6
    assert agenda_suggestions(meeting) == []

    settings.MEETINGS_REVIEW_WEEKS = 2
    assert [s.case for s in agenda_suggestions(meeting)] == [case]
    assert agenda_suggestions(meeting, weeks=4) == []


def test_setting_default_is_six_weeks():
    from django.conf import settings

    assert settings.MEETINGS_REVIEW_WEEKS == 6


def test_risk_rose_since_the_risk_agreed(meeting):
    case = CaseFactory(risk_level="high")
    at = datetime.datetime(2026, 3, 3, 10, 0, tzinfo=datetime.UTC)
    # Put on the agenda at high, but the meeting agreed medium: the agreed risk counts.
    discussed(case, at, risk_agreed="medium", risk_at_agenda="high")

    [suggestion] = agenda_suggestions(meeting, weeks=520)

    assert suggestion.kind == "risk_rose"
    assert suggestion.reason == "Risk rose from medium to high since discussed on 3 March 2026"


def test_risk_rose_to_medium_is_suggested_too(meeting):
    case = CaseFactory(risk_level="medium")
    discussed(case, ago(days=10), risk_agreed="standard")
    [suggestion] = agenda_suggestions(meeting)
    assert suggestion.kind == "risk_rose"
    assert suggestion.reason.startswith("Risk rose from standard to medium since discussed on ")


def test_risk_rose_compares_risk_at_agenda_when_none_agreed(meeting):
    case = CaseFactory(risk_level="high")
    discussed(case, ago(days=10), risk_agreed="", risk_at_agenda="medium")
    [suggestion] = agenda_suggestions(meeting)
    assert suggestion.kind == "risk_rose"
    assert "from medium to high" in suggestion.reason


def test_risk_same_or_lower_is_not_risen(meeting):
    same = CaseFactory(risk_level="medium")
    discussed(same, ago(days=10), risk_agreed="medium")
    lower = CaseFactory(risk_level="standard")
    discussed(lower, ago(days=10), risk_agreed="high")
    assert agenda_suggestions(meeting) == []


def test_only_the_last_discussion_is_compared(meeting):
    case = CaseFactory(risk_level="high")
    discussed(case, ago(days=30), risk_agreed="standard")
    discussed(case, ago(days=10), risk_agreed="high")
    assert agenda_suggestions(meeting) == []


def test_a_case_meeting_both_rules_appears_once_as_risen(meeting):
    case = CaseFactory(risk_level="high")
    discussed(case, ago(weeks=10), risk_agreed="medium")
    [suggestion] = agenda_suggestions(meeting)
    assert suggestion.case == case
    assert suggestion.kind == "risk_rose"


def test_cases_already_on_this_agenda_are_left_out(meeting):
    on_agenda = CaseFactory(risk_level="high")
    AgendaItemFactory(meeting=meeting, case=on_agenda)
    risen_on_agenda = CaseFactory(risk_level="high")
    discussed(risen_on_agenda, ago(days=10), risk_agreed="medium")
    AgendaItemFactory(meeting=meeting, case=risen_on_agenda)
    # On another meeting's agenda only: still suggested here.
    elsewhere = CaseFactory(risk_level="high")
    AgendaItemFactory(case=elsewhere)

    assert [s.case for s in agenda_suggestions(meeting)] == [elsewhere]


def test_order_risen_then_never_then_longest_undiscussed(meeting):
    long_ago = CaseFactory(risk_level="high")
    discussed(long_ago, ago(weeks=30), risk_agreed="high")
    less_long_ago = CaseFactory(risk_level="high")
    discussed(less_long_ago, ago(weeks=10), risk_agreed="high")
    never = CaseFactory(risk_level="high")
    risen = CaseFactory(risk_level="medium")
    discussed(risen, ago(days=5), risk_agreed="standard")

    assert [s.case for s in agenda_suggestions(meeting)] == [
        risen,
        never,
        long_ago,
        less_long_ago,
    ]


def make_cases(n):
    for _ in range(n):
        CaseFactory(risk_level="high")
        overdue = CaseFactory(risk_level="high")
        discussed(overdue, ago(weeks=10), risk_agreed="high")
        risen = CaseFactory(risk_level="high")
        discussed(risen, ago(days=3), risk_agreed="medium")


@pytest.mark.parametrize("n", [1, 6])
def test_a_fixed_number_of_queries(meeting, django_assert_num_queries, n):
    make_cases(n)
    with django_assert_num_queries(1):
        suggestions = agenda_suggestions(meeting)
        # What a page shows of each suggestion costs nothing more.
        for suggestion in suggestions:
            str(suggestion.case.victim)
            str(suggestion.case.owner)
    assert len(suggestions) == 3 * n
