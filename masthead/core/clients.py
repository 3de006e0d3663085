"""The reader's address, behind the proxies the deployment guide puts in front.

Every limit keyed on an address (the sign-in lockout, page-password and reset
throttles, newsletter sign-ups, API rate limits without a key) and the reader counts of
"Most read" need the reader's address, not the proxy's. Behind nginx or Varnish on the
same machine every request comes from 127.0.0.1; keyed on that, one attacker's wrong
passwords locked every editor out and one reader's sign-ups used everyone's limit.

The rule is nginx's ``real_ip_recursive``: only when the connection comes from a
trusted proxy (``MASTHEAD_TRUSTED_PROXIES``: addresses or networks, loopback by
default), walk ``X-Forwarded-For`` from the right past the trusted proxies; the first
address that is not one is the reader's (a client can put anything at the left of the
header, never at the right, which each proxy appends to). A connection from anywhere
else is the reader itself, whatever headers it sends. ``MASTHEAD_CLIENT_IP_HEADER``
names a header to believe instead (``HTTP_X_REAL_IP``, a CDN's), also only from a
trusted proxy.

django-ipware 8 (the maintained library made for the job) was compared on ten cases a
newsroom meets (``bench/clients/addresses.py``, results in
``bench/results/clients-addresses-2026-12-07.txt``): this rule names the reader in 10 of
10; ipware in 1 to 7 of 10 in the configurations it documents (without options it
believes the first public address a client writes into the header; it never asks
whether the connection came from a proxy), and 9 of 10 with this module's connection
check in front of it (a reader on a private network behind the proxy who forges a
public address is believed).
"""

import functools
import ipaddress

from django.conf import settings

LOOPBACK = "127.0.0.0/8,::1"


@functools.lru_cache(maxsize=8)
def _networks(spec: str) -> tuple:
    networks = []
    for part in spec.replace(" ", ",").split(","):
        if part:
            networks.append(ipaddress.ip_network(part, strict=False))
    return tuple(networks)


def trusted_networks() -> tuple:
    """The networks of ``MASTHEAD_TRUSTED_PROXIES`` (checked when settings load: settings.env)."""
    return _networks(getattr(settings, "MASTHEAD_TRUSTED_PROXIES", LOOPBACK))


def _parse(text: str):
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.5:1234
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address


def _trusted(address, networks) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def client_address(request) -> str:
    """Return the reader's address for ``request`` (``""`` without a request)."""
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = trusted_networks()
    connection = _parse(remote)
    if connection is None or not _trusted(connection, networks):
        return remote
    header = getattr(settings, "MASTHEAD_CLIENT_IP_HEADER", "") or "HTTP_X_FORWARDED_FOR"
    nearest = connection
    for part in reversed(request.META.get(header, "").split(",")):
        if not part.strip():
            continue
        hop = _parse(part)
        if hop is None:
            break  # something no proxy writes: what lies left of it came from the client
        if not _trusted(hop, networks):
            return str(hop)
        nearest = hop
    # Every hop a trusted proxy (a reader on the proxies' own network), or a broken
    # header: the last address a trusted proxy vouched for.
    return str(nearest)
