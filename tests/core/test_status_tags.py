"""The one status tag (stalking_clinic/choices.py, status_tags): each choice's colour comes from
its declaration."""

import pytest
from django.template import Context, Template

from meetings.models import Meeting
from referrals.models import RiskLevel
from stalking_clinic.choices import TaggedChoices, tag_for
from training.selectors.compliance import Standing


def _render(source, **context):
    return Template("{% load status_tags %}" + source).render(Context(context)).strip()


def test_a_stored_value_shows_in_its_declared_colour():
    html = _render('{% status_tag status "meeting_status" %}', status="held")
    assert html == '<strong class="govuk-tag govuk-tag--green">Held</strong>'
    assert tag_for("high", "risk") == ("High", "red")
    assert tag_for(Meeting.Status.CANCELLED) == ("Cancelled", "grey")


def test_a_member_shows_without_naming_its_set():
    assert _render("{% status_tag s %}", s=Standing.OVERDUE) == (
        '<strong class="govuk-tag govuk-tag--orange">Refresh overdue</strong>'
    )


def test_an_empty_value_shows_what_its_set_says():
    assert _render('{% status_tag level "risk" %}', level="") == (
        '<strong class="govuk-tag govuk-tag--light-blue">Not assessed</strong>'
    )
    assert _render('{% status_tag s "meeting_status" %}', s="") == ""


def test_every_member_has_a_real_colour_and_sets_have_one_name():
    assert {m.colour for m in RiskLevel} <= {"grey", "orange", "red"}
    with pytest.raises(ValueError, match=r"not a GOV\.UK tag colour"):

        class Bad(TaggedChoices, tag_set="bad_colour"):
            ONE = "one", "mauve", "One"

    with pytest.raises(ValueError, match="Two sets"):

        class Again(TaggedChoices, tag_set="risk"):
            ONE = "one", "grey", "One"
