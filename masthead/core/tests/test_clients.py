"""The reader's address behind the proxies of docs/deployment.md (masthead.core.clients)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from masthead.core.clients import client_address
from masthead.settings import env

READER = "203.0.113.5"


def _address(remote: str, forwarded: str | None = None, **meta) -> str:
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **meta))


def test_a_direct_connection_is_the_reader_whatever_it_claims():
    assert _address(READER) == READER
    assert _address(READER, "198.51.100.1") == READER  # a client cannot pick its address
    assert _address("2001:db8::7", "198.51.100.1") == "2001:db8::7"


def test_behind_a_proxy_on_the_same_machine_the_reader_is_the_last_untrusted_hop():
    # nginx or Varnish on the machine: REMOTE_ADDR is loopback, the proxy appended the reader.
    assert _address("127.0.0.1", READER) == READER
    assert _address("::1", READER) == READER
    # A client's own header is kept at the left; the proxy's entry at the right wins.
    assert _address("127.0.0.1", f"198.51.100.1, {READER}") == READER
    # TLS terminator -> Varnish -> app: Varnish appended the terminator's loopback address.
    assert _address("127.0.0.1", f"{READER}, 127.0.0.1") == READER
    # Addresses with ports, IPv6 in brackets, IPv4 mapped into IPv6.
    assert _address("127.0.0.1", f"{READER}:51234") == READER
    assert _address("127.0.0.1", "[2001:db8::9]:443") == "2001:db8::9"
    assert _address("::ffff:127.0.0.1", f"::ffff:{READER}") == READER


def test_garbage_in_the_header_stops_the_walk_at_the_last_trusted_hop():
    assert _address("127.0.0.1", f"{READER}, not-an-address") == "127.0.0.1"
    assert _address("127.0.0.1", "unknown, 127.0.0.2") == "127.0.0.2"
    assert _address("127.0.0.1", "") == "127.0.0.1"
    assert _address("127.0.0.1") == "127.0.0.1"  # a reader on the machine itself


def test_a_proxy_elsewhere_is_believed_once_named(settings):
    assert _address("10.0.0.4", READER) == "10.0.0.4"  # not trusted by default
    settings.MASTHEAD_TRUSTED_PROXIES = "127.0.0.1, 10.0.0.0/24"
    assert _address("10.0.0.4", f"{READER}, 10.0.0.3") == READER
    assert _address("10.0.1.4", READER) == "10.0.1.4"


def test_a_named_header_is_believed_only_from_a_trusted_proxy(settings):
    settings.MASTHEAD_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert _address("127.0.0.1", "198.51.100.1", HTTP_X_REAL_IP=READER) == READER
    assert _address("198.51.100.2", HTTP_X_REAL_IP=READER) == "198.51.100.2"


def test_a_wrong_trusted_proxies_setting_stops_the_start_with_a_clear_error(monkeypatch):
    monkeypatch.setenv("MASTHEAD_TRUSTED_PROXIES", "127.0.0.1, proxy.internal")
    with pytest.raises(ImproperlyConfigured, match="MASTHEAD_TRUSTED_PROXIES: 'proxy.internal'"):
        env.env_networks("MASTHEAD_TRUSTED_PROXIES", "127.0.0.1")
    monkeypatch.setenv("MASTHEAD_TRUSTED_PROXIES", "10.0.0.0/8 ::1")
    assert env.env_networks("MASTHEAD_TRUSTED_PROXIES", "127.0.0.1") == "10.0.0.0/8 ::1"
