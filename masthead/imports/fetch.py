"""Fetch attachments and feeds from the network without becoming a proxy into ours.

Every host is resolved first and refused when any of its addresses is loopback,
private, link-local, multicast, reserved or unspecified; the connection then goes to
the address that was checked (so a second DNS answer cannot swap in 127.0.0.1): the
rule of masthead.core.outbound, which webhooks follow too.
Redirects are followed by hand and each hop is checked the same way. Downloads stop
at a size limit and a total time limit.
"""

import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3

from masthead.core import outbound

from .errors import ItemError

MAX_REDIRECTS = 3
USER_AGENT = "Masthead importer (+https://github.com/masthead)"


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * 1024 * 1024
    timeout: float = 20.0  # seconds for the whole download, connection included


def resolve_public(host: str, port: int) -> str:
    """Return a public IP address of ``host``; raise ItemError when it is not public."""
    try:
        return outbound.resolve_public(host, port, purpose="fetch from")
    except outbound.UnsafeAddress as exc:
        raise ItemError(str(exc)) from None


def fetch(url: str, limits: Limits = Limits(), accept: str = "*/*") -> tuple[bytes, str]:
    """Return the body and content type at ``url``, within ``limits``."""
    deadline = time.monotonic() + limits.timeout
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise ItemError(f"Only http and https addresses are fetched, not {url[:80]!r}.")
        address = resolve_public(parts.hostname or "", outbound.default_port(parts))
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ItemError(f"Gave up on {url}: it took longer than {limits.timeout:.0f}s.")
        timeout = urllib3.Timeout(connect=min(remaining, 10), read=remaining)
        pool = outbound.pinned_pool(parts, address, timeout)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        headers = {"Host": parts.netloc.rsplit("@", 1)[-1], "User-Agent": USER_AGENT}
        headers["Accept"] = accept
        try:
            response = pool.urlopen(
                "GET", path, headers=headers, redirect=False, preload_content=False
            )
        except urllib3.exceptions.HTTPError as exc:
            raise ItemError(f"Could not fetch {url}: {exc.__class__.__name__}.") from None
        try:
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("Location", "")
                if not location:
                    raise ItemError(f"{url} redirects without saying where to.")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise ItemError(f"{url} answered HTTP {response.status}.")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limits.max_bytes:
                raise ItemError(f"{url} is larger than the {limits.max_bytes // 1048576} MB limit.")
            body = bytearray()
            while chunk := response.read1(65536):
                body.extend(chunk)
                if len(body) > limits.max_bytes:
                    raise ItemError(
                        f"{url} is larger than the {limits.max_bytes // 1048576} MB limit."
                    )
                if time.monotonic() > deadline:
                    raise ItemError(f"Gave up on {url}: it took longer than {limits.timeout:.0f}s.")
            return bytes(body), response.headers.get("Content-Type", "")
        except urllib3.exceptions.HTTPError as exc:
            raise ItemError(f"Could not fetch {url}: {exc.__class__.__name__}.") from None
        finally:
            response.release_conn()
            pool.close()
    raise ItemError(f"{url} redirects more than {MAX_REDIRECTS} times.")
