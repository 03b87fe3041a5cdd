"""Every form the police, partner agencies and the administrator reach posts somewhere that takes
it; no page repeats an id (``tests/core/form_walk.py``)."""

import pytest

from stalking_clinic.accounts.roles import Role

from .form_walk import check_role, demo  # noqa: F401  (demo: the module's fixture)

pytestmark = pytest.mark.django_db

ROLES = [Role.SUPERVISOR, Role.OFFICER, Role.CHAMPION, Role.PARTNER, Role.ADMINISTRATOR]


@pytest.mark.parametrize("role", ROLES)
def test_role(client, demo, role):  # noqa: F811
    check_role(client, role)
