"""The address a request came from, as the audit log (and sign-in throttling) records it.

Behind the TLS-terminating proxy the README describes, every connection comes from the proxy, and
the client's address is in ``X-Forwarded-For``, which the proxy appends to. But anyone can send
that header: it is believed only when the connection itself came from a proxy listed in
``TRUSTED_PROXIES``, and then only the part the trusted proxies added (read from the right,
skipping our own proxies; what the client wrote to the left of that is ignored).
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings


@functools.cache
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's IP address: ``REMOTE_ADDR``, or, for a request from a trusted proxy, the
    nearest address in ``X-Forwarded-For`` that is not one of our proxies."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = _networks(tuple(settings.TRUSTED_PROXIES))
    if remote is None or not trusted:
        return remote

    def is_proxy(address):
        return any(address in network for network in trusted)

    peer = _address(remote)
    if peer is None or not is_proxy(peer):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _address(hop)
        if address is None:
            # Not an address where our proxy writes one: the header cannot be relied on.
            return str(peer)
        if not is_proxy(address):
            return str(address)
        peer = address
    return str(peer)
