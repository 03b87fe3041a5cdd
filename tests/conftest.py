"""Shared fixtures: one persona per role, plus an outsider with no role at all; a fake PDF
renderer."""

import pytest
from django.template.loader import render_to_string

from stalking_clinic import pdf
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


@pytest.fixture
def fake_pdf(monkeypatch):
    """Skip WeasyPrint (about a second a PDF) and keep the HTML it would have drawn:
    ``fake_pdf["html"]`` and ``fake_pdf["context"]`` of the latest PDF, ``fake_pdf["every_html"]``
    of each in turn. The one test drawing a real PDF is in tests/core/test_pdf.py."""
    rendered = {"every_html": []}

    def render(template_name, context, *, request=None):
        html = render_to_string(template_name, context, request=request)
        rendered.update(html=html, context=context)
        rendered["every_html"].append(html)
        return b"%PDF-fake"

    monkeypatch.setattr(pdf, "render_pdf", render)
    return rendered
