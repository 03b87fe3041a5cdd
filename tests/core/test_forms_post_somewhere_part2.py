"""Every form these roles reach posts somewhere that takes it, and no page repeats an id: each
role's walk from the home page (``tests/core/form_walk.py``). The roles are shared between two
modules of about equal cost so that parallel test processes run them side by side."""

import pytest

from stalking_clinic.accounts.roles import Role

from .form_walk import check_role, demo  # noqa: F401  (demo: the module's fixture)

pytestmark = pytest.mark.django_db

ROLES = [Role.TACTICAL_LEAD, Role.SOLICITOR, Role.SUPERVISOR, Role.OFFICER, Role.CHAMPION]


@pytest.mark.parametrize("role", ROLES)
def test_role(client, demo, role):  # noqa: F811
    check_role(client, role)
