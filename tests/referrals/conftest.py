import pytest

from stalking_clinic.accounts.models import Agency, Role

from ..factories import AgencyFactory


@pytest.fixture
def isac_service(db):
    return AgencyFactory(
        name="Test Advocacy Service", kind=Agency.Kind.ISAC_SERVICE, is_partner=False
    )


@pytest.fixture
def probation(db):
    return AgencyFactory(name="Test Probation", kind=Agency.Kind.PROBATION, is_partner=True)


@pytest.fixture
def isac(make_user, isac_service):
    return make_user(Role.ISAC, username="isac_user", agency=isac_service)


@pytest.fixture
def probation_user(make_user, probation):
    return make_user(Role.PARTNER, username="probation_user", agency=probation)
