"""The SPO services of conditions (spo/services/conditions.py): the prohibitions and
requirements (s.2) of an application not yet decided."""

import datetime

import pytest

from spo.models import Application, Condition
from spo.services import conditions
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from .factories import (
    ApplicationFactory,
    ConditionFactory,
    at_stage,
    audit_events,
)

pytestmark = pytest.mark.django_db

D = datetime.date
Stage = Application.Stage


# --- conditions ----------------------------------------------------------------------------------


def test_conditions_are_numbered_within_their_kind(solicitor):
    application = ApplicationFactory()
    p1 = conditions.condition_add(
        application=application, by=solicitor, kind=Condition.Kind.PROHIBITION, text="No contact"
    )
    r1 = conditions.condition_add(
        application=application, by=solicitor, kind=Condition.Kind.REQUIREMENT, text="Programme"
    )
    p2 = conditions.condition_add(
        application=application, by=solicitor, kind=Condition.Kind.PROHIBITION, text="No zone"
    )
    assert (p1.position, p2.position, r1.position) == (1, 2, 1)
    assert audit_events(p1, AuditEvent.Action.COLLECTION).count() == 1


def test_condition_needs_text(solicitor):
    application = ApplicationFactory()
    with pytest.raises(ServiceError) as error:
        conditions.condition_add(
            application=application, by=solicitor, kind=Condition.Kind.PROHIBITION, text=" "
        )
    assert error.value.field == "text"


def _texts(application, kind=Condition.Kind.PROHIBITION):
    return list(application.conditions.filter(kind=kind).values_list("text", flat=True))


def _three_conditions(application):
    for text in ["A", "B", "C"]:
        ConditionFactory(application=application, text=text, position=ord(text) - 64)
    ConditionFactory(application=application, kind=Condition.Kind.REQUIREMENT, text="R", position=1)


def test_condition_move_up_and_down_swaps_with_its_neighbour(solicitor):
    application = ApplicationFactory()
    _three_conditions(application)
    b = application.conditions.get(text="B")

    conditions.condition_move(condition=b, by=solicitor, direction="up")
    assert _texts(application) == ["B", "A", "C"]

    conditions.condition_move(
        condition=application.conditions.get(text="A"), by=solicitor, direction="down"
    )
    assert _texts(application) == ["B", "C", "A"]
    assert _texts(application, Condition.Kind.REQUIREMENT) == ["R"]


def test_condition_move_at_an_end_does_nothing(solicitor):
    application = ApplicationFactory()
    _three_conditions(application)
    conditions.condition_move(
        condition=application.conditions.get(text="A"), by=solicitor, direction="up"
    )
    conditions.condition_move(
        condition=application.conditions.get(text="C"), by=solicitor, direction="down"
    )
    conditions.condition_move(
        condition=application.conditions.get(text="R"), by=solicitor, direction="up"
    )
    assert _texts(application) == ["A", "B", "C"]


def test_condition_update_and_version_conflict(solicitor, colleague):
    condition = ConditionFactory(text="Old")
    updated = conditions.condition_update(condition=condition, by=colleague, version=1, text="New")
    assert (updated.text, updated.version) == ("New", 2)
    with pytest.raises(ChangedByAnotherUser) as error:
        conditions.condition_update(condition=condition, by=solicitor, version=1, text="Mine")
    assert error.value.by == colleague.display_name
    condition.refresh_from_db()
    assert condition.text == "New"


def test_condition_remove(solicitor):
    condition = ConditionFactory()
    application = condition.application
    conditions.condition_remove(condition=condition, by=solicitor)
    assert not application.conditions.exists()
    assert audit_events(application, AuditEvent.Action.ALTERATION).count() == 1


@pytest.mark.parametrize("stage", [Stage.GRANTED, Stage.REFUSED, Stage.WITHDRAWN])
def test_conditions_of_a_decided_application_cannot_change(solicitor, stage):
    condition = ConditionFactory(application=at_stage(stage), text="Fixed")
    with pytest.raises(ServiceError):
        conditions.condition_add(
            application=condition.application,
            by=solicitor,
            kind=Condition.Kind.PROHIBITION,
            text="More",
        )
    with pytest.raises(ServiceError):
        conditions.condition_update(condition=condition, by=solicitor, version=1, text="Changed")
    with pytest.raises(ServiceError):
        conditions.condition_remove(condition=condition, by=solicitor)
    with pytest.raises(ServiceError):
        conditions.condition_move(condition=condition, by=solicitor, direction="down")
    assert list(Condition.objects.values_list("text", flat=True)) == ["Fixed"]
