"""Role changes in the admin site: old and new values audited; an administrator cannot give their
own account access to cases (issue 14, item 13)."""

import pytest
from django.urls import reverse

from stalking_clinic.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _post_change(client, user, **changes):
    url = reverse("admin:accounts_user_change", args=[user.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "roles": ",".join(user.roles),
            "date_joined_0": user.date_joined.strftime("%d/%m/%Y"),
            "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
            "last_login_0": "",
            "last_login_1": "",
            "agency": "",
            "groups": [],
            "user_permissions": [],
            **changes,
        }
    )
    return client.post(url, data)


def test_an_administrator_cannot_give_their_own_account_case_access(client, administrator):
    client.force_login(administrator)
    response = _post_change(client, administrator, roles="administrator,coordinator")
    assert response.status_code == 200
    assert "cannot give your own account access to cases" in response.content.decode()
    administrator.refresh_from_db()
    assert administrator.roles == ["administrator"]
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ALTERATION).exists()


def test_an_administrator_may_change_their_own_account_otherwise(client, administrator):
    client.force_login(administrator)
    response = _post_change(client, administrator, first_name="Renamed")
    assert response.status_code == 302


def test_a_role_change_is_audited_with_old_and_new_values(client, administrator, officer):
    client.force_login(administrator)
    response = _post_change(client, officer, roles="officer,coordinator", is_active="")
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action=AuditEvent.Action.ALTERATION)
    assert event.changes == {
        "roles": {"old": ["officer"], "new": ["coordinator", "officer"]},
        "is_active": {"old": True, "new": False},
    }
