"""The audit log records the client's address: from X-Forwarded-For only behind a trusted proxy."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.client_address import client_ip

from ..factories import TEST_PASSWORD


def _ip(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert _ip("203.0.113.9", "198.51.100.1") == "203.0.113.9"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "127.0.0.1"]


@pytest.mark.usefixtures("behind_proxy")
class TestBehindTheProxy:
    def test_the_proxy_names_the_client(self):
        assert _ip("10.0.0.5", "198.51.100.7") == "198.51.100.7"

    def test_a_client_cannot_name_itself_by_sending_the_header(self):
        # The proxy appends the address it saw; what the client sent stays to its left.
        assert _ip("10.0.0.5", "192.0.2.66, 198.51.100.7") == "198.51.100.7"

    def test_a_request_not_through_the_proxy_cannot_spoof(self):
        assert _ip("203.0.113.9", "198.51.100.7") == "203.0.113.9"

    def test_chained_proxies_are_skipped(self):
        assert _ip("127.0.0.1", "198.51.100.7, 10.0.0.8") == "198.51.100.7"

    def test_garbage_where_the_proxy_writes_falls_back_to_the_proxy(self):
        assert _ip("10.0.0.5", "198.51.100.7, not-an-address") == "10.0.0.5"

    def test_no_header_is_the_proxy_itself(self):
        assert _ip("10.0.0.5") == "10.0.0.5"

    def test_ipv6_clients(self):
        assert _ip("10.0.0.5", "2001:db8::1") == "2001:db8::1"


@pytest.mark.usefixtures("behind_proxy")
def test_the_audit_log_records_the_client_not_the_proxy(client, coordinator):
    client.post(
        reverse("login"),
        {"username": coordinator.username, "password": TEST_PASSWORD},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="192.0.2.66, 198.51.100.7",
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN)
    assert event.ip_address == "198.51.100.7"


def test_the_audit_log_refuses_a_spoofed_header(client, coordinator, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    client.post(
        reverse("login"),
        {"username": coordinator.username, "password": TEST_PASSWORD},
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN)
    assert event.ip_address == "203.0.113.9"
