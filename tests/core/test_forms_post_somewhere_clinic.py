"""Every form the rest of the clinic reaches posts somewhere that takes it; no page repeats an id
(``tests/core/form_walk.py``)."""

import pytest

from stalking_clinic.accounts.roles import Role

from .form_walk import check_role, demo  # noqa: F401  (demo: the module's fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.TACTICAL_LEAD, Role.SOLICITOR, Role.ISAC])
def test_role(client, demo, role):  # noqa: F811
    check_role(client, role)
