"""Shared fixtures: one persona per role, plus an outsider with no role at all."""

import pytest

from stalking_clinic.accounts.models import Role

from .factories import UserFactory

ALL_ROLES = list(Role.values)


@pytest.fixture
def make_user(db):
    def make(*roles, **kwargs):
        return UserFactory(roles=[str(role) for role in roles], **kwargs)

    return make


@pytest.fixture
def persona(make_user):
    """``persona("coordinator")``: a signed-in-able user holding exactly that role."""

    def get(role):
        return make_user(role, username=f"persona_{role}")

    return get


@pytest.fixture
def coordinator(persona):
    return persona(Role.COORDINATOR)


@pytest.fixture
def administrator(persona):
    return persona(Role.ADMINISTRATOR)


@pytest.fixture
def officer(persona):
    return persona(Role.OFFICER)


@pytest.fixture
def partner(persona):
    return persona(Role.PARTNER)


@pytest.fixture
def outsider(make_user):
    """Signed in, but holds no role: must be able to use nothing but a bare home page."""
    return make_user(username="outsider")
