import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from stalking_clinic.accounts.models import Role, User
from stalking_clinic.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_creates_an_administrator_with_a_validated_password(monkeypatch):
    answers = iter(["123", "123", "long-enough-passphrase", "long-enough-passphrase"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    call_command("create_administrator", "first_admin", stderr=open("/dev/null", "w"))  # noqa: SIM115
    user = User.objects.get(username="first_admin")
    assert user.roles == [Role.ADMINISTRATOR]
    assert user.check_password("long-enough-passphrase")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.COLLECTION).count() == 1


def test_gives_an_existing_account_the_role_keeping_its_others(make_user):
    make_user(Role.COORDINATOR, username="cora")
    call_command("create_administrator", "cora")
    assert User.objects.get(username="cora").roles == [Role.COORDINATOR, Role.ADMINISTRATOR]


def test_gives_up_after_three_bad_passwords(monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt: "short")
    with pytest.raises(CommandError, match="No acceptable password"):
        call_command("create_administrator", "nobody", stderr=open("/dev/null", "w"))  # noqa: SIM115
    assert not User.objects.filter(username="nobody").exists()
