"""Connections this site opens to addresses others gave it, without becoming a proxy
into its own network (server-side request forgery).

The importer fetches feeds and pictures at addresses from an export; webhooks post to
addresses an administrator typed. Both resolve the host first and refuse it when any
of its addresses is loopback, private, link-local, multicast, reserved or unspecified,
then connect to the address that was checked, so a second DNS answer cannot swap in
127.0.0.1.
"""

import ipaddress
import socket
from urllib.parse import SplitResult

import urllib3


class UnsafeAddress(ValueError):
    """The host cannot be resolved, or resolves to an address this site must not reach."""


def resolve_public(host: str, port: int, *, purpose: str = "connect to") -> str:
    """Return a public IP address of ``host``; raise UnsafeAddress when it is not public.

    ``purpose`` words the refusal ("fetch from", "send to").
    """
    if not host:
        raise UnsafeAddress("The address has no host name.")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeAddress(f"The host {host} cannot be resolved ({exc}).") from None
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if not address.is_global or address.is_multicast:
            raise UnsafeAddress(
                f"Refused to {purpose} {host}: it points at a loopback, private or "
                f"link-local address ({address})."
            )
        addresses.append(str(address))
    if not addresses:
        raise UnsafeAddress(f"The host {host} has no address.")
    return addresses[0]


def default_port(parts: SplitResult) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)


def pinned_pool(parts: SplitResult, address: str, timeout: urllib3.Timeout):
    """Return a urllib3 pool for the URL ``parts`` that connects to ``address`` only.

    TLS still checks the certificate against the host name of the URL.
    """
    port = default_port(parts)
    if parts.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address,
            port,
            timeout=timeout,
            retries=False,
            server_hostname=parts.hostname,
            assert_hostname=parts.hostname,
        )
    return urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
