"""The one test that draws a real PDF with WeasyPrint, end to end; every other test uses
``fake_pdf`` (tests/conftest.py), as WeasyPrint takes about a second a PDF.

The renderer fetches files from our own static folders only: anything else is refused, so making a
PDF never reaches the network (stalking_clinic/pdf.py)."""

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from stalking_clinic import pdf
from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

LOCAL = "/static/images/favicon.svg"
EXTERNAL = "https://example.org/tracker.png"


def test_a_real_pdf_uses_local_static_files_and_nothing_else(client, persona, monkeypatch):
    # The about PDF, with an image from our static files and one from elsewhere added to it.
    real_render_to_string = pdf.render_to_string

    def with_images(*args, **kwargs):
        images = f'<img src="{LOCAL}" alt=""><img src="{EXTERNAL}" alt="">'
        return real_render_to_string(*args, **kwargs).replace("</body>", images + "</body>")

    monkeypatch.setattr(pdf, "render_to_string", with_images)
    fetched = {}
    real_local_static_path = pdf.local_static_path

    def local_static_path(url):
        fetched[url] = real_local_static_path(url)
        return fetched[url]

    monkeypatch.setattr(pdf, "local_static_path", local_static_path)
    coordinator = persona(Role.COORDINATOR)
    client.force_login(coordinator)

    response = client.get(reverse("home:about_pdf"))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) > 2000
    assert str(fetched[settings.SITE_URL + LOCAL]) == finders.find("images/favicon.svg")
    assert fetched[EXTERNAL] is None
    event = AuditEvent.objects.get(action=AuditEvent.Action.DISCLOSURE)
    assert (event.actor, event.recipient) == (coordinator, coordinator.username)
