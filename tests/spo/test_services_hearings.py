"""The SPO services of hearings (spo/services/hearings.py)."""

import datetime

import pytest
from django.utils import timezone

from spo.models import Application, Hearing
from spo.services import hearings
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from .factories import (
    ApplicationFactory,
    HearingFactory,
    audit_events,
)

pytestmark = pytest.mark.django_db

D = datetime.date
Stage = Application.Stage


# --- hearings ------------------------------------------------------------------------------------


def test_hearing_add_and_update_outcome(solicitor):
    application = ApplicationFactory()
    starts_at = timezone.now() + datetime.timedelta(days=7)
    hearing = hearings.hearing_add(
        application=application,
        by=solicitor,
        kind=Hearing.Kind.FIRST,
        court="Gloucester Magistrates' Court",
        starts_at=starts_at,
    )
    assert hearing.recorded_by == solicitor
    assert audit_events(hearing, AuditEvent.Action.COLLECTION).count() == 1

    updated = hearings.hearing_update(
        hearing=hearing,
        by=solicitor,
        version=1,
        kind=Hearing.Kind.FIRST,
        court="Gloucester Magistrates' Court",
        starts_at=starts_at,
        outcome=Hearing.Outcome.ADJOURNED,
        notes="Defence asked for time.",
    )
    assert (updated.outcome, updated.version) == (Hearing.Outcome.ADJOURNED, 2)


def test_hearing_needs_a_court(solicitor):
    with pytest.raises(ServiceError) as error:
        hearings.hearing_add(
            application=ApplicationFactory(),
            by=solicitor,
            kind=Hearing.Kind.FIRST,
            court="",
            starts_at=timezone.now(),
        )
    assert error.value.field == "court"


def test_hearing_update_with_an_old_version_is_refused(solicitor, colleague):
    hearing = HearingFactory()
    values = {
        "kind": hearing.kind,
        "court": hearing.court,
        "starts_at": hearing.starts_at,
        "notes": "",
    }
    hearings.hearing_update(
        hearing=hearing, by=colleague, version=1, outcome=Hearing.Outcome.GRANTED, **values
    )
    with pytest.raises(ChangedByAnotherUser) as error:
        hearings.hearing_update(
            hearing=hearing, by=solicitor, version=1, outcome=Hearing.Outcome.REFUSED, **values
        )
    assert error.value.by == colleague.display_name
    hearing.refresh_from_db()
    assert hearing.outcome == Hearing.Outcome.GRANTED
