"""Fixtures of the protection orders tests: a solicitor, and a colleague who saves first."""

import pytest

from ..factories import UserFactory


@pytest.fixture
def solicitor():
    return UserFactory(roles=["solicitor"], first_name="Sam", last_name="Solicitor")


@pytest.fixture
def colleague():
    return UserFactory(roles=["solicitor"], first_name="Chris", last_name="Colleague")
