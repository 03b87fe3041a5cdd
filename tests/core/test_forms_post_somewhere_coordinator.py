"""Every form the coordinator reaches posts somewhere that takes it; no page repeats an id
(``tests/core/form_walk.py``). The coordinator reaches the most pages, so walks alone."""

import pytest

from stalking_clinic.accounts.roles import Role

from .form_walk import check_role, demo  # noqa: F401  (demo: the module's fixture)

pytestmark = pytest.mark.django_db


def test_coordinator(client, demo):  # noqa: F811
    check_role(client, Role.COORDINATOR)
