"""Which rule names the reader behind the proxies of docs/deployment.md? Counted, not guessed.

masthead.core.clients walks X-Forwarded-For from the right past the trusted proxies,
only for a connection from one of them (nginx's ``real_ip_recursive``). django-ipware
is the maintained library made for the job; this runs it in the configurations its
documentation offers beside Masthead's rule on the cases a newsroom meets: a server
reached directly (with and without a forged header), nginx or Varnish on the machine,
a TLS terminator in front of Varnish, a proxy on another machine, readers on a private
network. A wrong answer either lets a client choose its address (dodging the sign-in
lockout and every limit) or gives many readers one address (one attacker locks the
editors out; "Most read" counts one reader).

    .venv/bin/pip install django-ipware   # not a dependency of Masthead
    .venv/bin/python bench/clients/addresses.py
"""

import django
from django.conf import settings

# Public addresses (ipware ranks documentation ranges such as 203.0.113.0/24 below them).
READER = "81.2.69.142"
FORGED = "1.1.1.1"
# (case, REMOTE_ADDR, X-Forwarded-For or None, the proxies a newsroom would name, reader)
CASES = [
    ("direct", READER, None, [], READER),
    ("direct, forged header", READER, FORGED, [], READER),
    ("direct, private network, forged header", "192.168.1.20", FORGED, [], "192.168.1.20"),
    ("nginx on the machine", "127.0.0.1", READER, ["127.0.0.1"], READER),
    ("nginx, forged header", "127.0.0.1", f"{FORGED}, {READER}", ["127.0.0.1"], READER),
    ("TLS -> Varnish", "127.0.0.1", f"{READER}, 127.0.0.1", ["127.0.0.1"], READER),
    (
        "TLS -> Varnish, forged",
        "127.0.0.1",
        f"{FORGED}, {READER}, 127.0.0.1",
        ["127.0.0.1"],
        READER,
    ),
    ("proxy on another machine", "10.0.0.4", READER, ["10.0.0.4"], READER),
    ("reader on the office network", "127.0.0.1", "192.168.1.20", ["127.0.0.1"], "192.168.1.20"),
    (
        "office network, forged",
        "127.0.0.1",
        f"{FORGED}, 192.168.1.20",
        ["127.0.0.1"],
        "192.168.1.20",
    ),
]


def _request(remote: str, forwarded: str | None):
    from django.test import RequestFactory

    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def masthead_rule(request, proxies):
    from masthead.core.clients import client_address

    settings.MASTHEAD_TRUSTED_PROXIES = ",".join(["127.0.0.0/8", "::1", *proxies])
    return client_address(request)


def ipware(**options):
    def rule(request, proxies):
        from ipware import get_client_ip

        kwargs = dict(options)
        if kwargs.pop("trusted", False):
            kwargs["proxy_trusted_ips"] = proxies or None
        return get_client_ip(request, **kwargs)[0]

    return rule


def checked_ipware(request, proxies):
    """ipware right-most, asked only for a connection from a proxy (Masthead's check)."""
    import ipaddress

    remote = request.META["REMOTE_ADDR"]
    if remote not in ["127.0.0.1", *proxies] and not ipaddress.ip_address(remote).is_loopback:
        return remote
    return ipware(proxy_order="right-most")(request, proxies)


RULES = {
    "Masthead (clients.py)": masthead_rule,
    "ipware, no options": ipware(),
    "ipware, proxy_count=1": ipware(proxy_count=1),
    "ipware, proxy_count=1 strict=False": ipware(proxy_count=1, strict=False),
    "ipware, proxy_count=0 strict=False": ipware(proxy_count=0, strict=False),
    "ipware, right-most": ipware(proxy_order="right-most"),
    "ipware, proxy_trusted_ips": ipware(trusted=True),
    "ipware, right-most, from a proxy only": checked_ipware,
}


def main() -> None:
    settings.configure(MASTHEAD_TRUSTED_PROXIES="127.0.0.0/8,::1", MASTHEAD_CLIENT_IP_HEADER="")
    django.setup()
    rows = []
    for name, rule in RULES.items():
        right, wrong = 0, []
        for case, remote, forwarded, proxies, reader in CASES:
            got = rule(_request(remote, forwarded), proxies)
            if got == reader:
                right += 1
            else:
                wrong.append(f"{case}: {got}")
        rows.append((name, right, wrong))
    print(f"{len(CASES)} cases; the reader named right by each rule\n")
    for name, right, wrong in rows:
        print(f"{name:<38} {right}/{len(CASES)}")
        for line in wrong:
            print(f"{'':<6}wrong on {line}")


if __name__ == "__main__":
    main()
