"""The protection orders demo: every stage, orders, notifications, breaches, hearings to come;
seeding twice changes nothing."""

import io

import pytest
from django.utils import timezone

from spo import demo
from spo.models import Application, Breach, Hearing, Notification, Order
from stalking_clinic.demo.users import seed_users

from ..referrals.factories import CaseFactory
from ..savepoints import kept_for_module

pytestmark = pytest.mark.django_db


class _Command:
    def __init__(self):
        self.stdout = io.StringIO()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo seeded once for the module; each test's changes are rolled back."""
    with kept_for_module(django_db_blocker):
        seed_users("demo-test-password")
        for _ in range(4):
            CaseFactory(risk_level="high")
        demo.seed(_Command())
        yield


def test_demo_has_applications_at_every_stage(seeded):
    assert set(Application.objects.values_list("stage", flat=True)) == set(Application.Stage.values)
    kinds = set(Application.objects.values_list("kind", flat=True))
    assert {"order", "variation", "renewal"} <= kinds
    assert not Application.objects.exclude(solicitor__username="solicitor").exists()
    assert not Application.objects.exclude(officer_in_case__username="officer").exists()


def test_demo_has_orders_notifications_breaches_and_hearings_to_come(seeded):
    today = timezone.localdate()
    assert {"interim", "full"} == set(Order.objects.values_list("kind", flat=True))
    assert Order.objects.filter(until_further_order=True).exists()
    overdue = Notification.objects.filter(received_on__isnull=True, due_on__lt=today)
    assert overdue.count() == 1
    assert Breach.objects.filter(outcome="").exists()
    assert Breach.objects.exclude(outcome="").exists()
    assert Hearing.objects.filter(starts_at__gt=timezone.now()).count() >= 3


def test_seeding_again_duplicates_nothing(seeded):
    counts = [m.objects.count() for m in (Application, Order, Hearing, Breach, Notification)]
    command = _Command()
    demo.seed(command)
    assert [m.objects.count() for m in (Application, Order, Hearing, Breach, Notification)] == (
        counts
    )
    assert "already present" in command.stdout.getvalue()
