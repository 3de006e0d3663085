"""The proxy configurations in deploy/, as shipped (only ports and certificate paths
changed): health checks that work, the protocol in the cache key, a TLS server in the
nginx example, and restarts of an app server under load that no reader notices."""

import re
import signal
import time

import pytest

from .servers import USER, Editor, Load, Site, Varnish, request

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis, pytest.mark.faults]


@pytest.fixture
def varnish_site(newsroom_db, workdir, shared_redis):
    site = Site(workdir, newsroom_db, shared_redis, proxy="varnish")
    try:
        yield site.start()
    finally:
        site.stop()


@pytest.fixture
def nginx_site(newsroom_db, workdir, shared_redis):
    site = Site(workdir, newsroom_db, shared_redis, proxy="nginx")
    try:
        yield site.start()
    finally:
        site.stop()


# Stories with a tracking parameter pass through the proxies unstored and the app
# renders them each time: uncached requests, as the issue measured.
UNCACHED = ["/news/harbour-{m}/?utm_source={n}".replace("{m}", str(m)) for m in range(6)]


def _wait_until_proxy_uses(site: Site, number: int) -> None:
    if isinstance(site.proxy, Varnish):
        site.proxy.wait_for_backends({f"app{number + 1}": "healthy"})
    else:
        time.sleep(4)  # nginx tries a failed server again after fail_timeout (3 s)


def _restart_under_load(site: Site, load_urls: list[str], **request_kwargs) -> Load:
    with Load(load_urls, clients=8, **request_kwargs) as load:
        time.sleep(2)
        # A deploy: the second server stops gracefully and comes back.
        site.apps[1].stop()
        time.sleep(3)
        site.start_app(1)
        # Restarts go one server at a time: the next waits until the proxy uses the
        # first again (docs/deployment.md, "Restarting app servers").
        _wait_until_proxy_uses(site, 1)
        # A crash: the first server (with the scheduler) is killed outright.
        site.apps[0].kill()
        time.sleep(3)
        site.start_app(0)
        time.sleep(2)
    return load


def _error_kinds(log: str) -> str:
    """Count nginx error-log lines by what went wrong and with which upstream."""
    kinds: dict[str, int] = {}
    for line in log.splitlines():
        what = re.search(r"\[(?:error|crit|warn)\] \d+#\d+: \*\d+ ([^,(]+)", line)
        upstream = re.search(r'upstream: "http://([^/"]+)', line)
        key = f"{what.group(1).strip() if what else line[:80]} @ {upstream.group(1) if upstream else '-'}"
        kinds[key] = kinds.get(key, 0) + 1
    return "; ".join(f"{count} x {key}" for key, count in sorted(kinds.items()))


def test_varnish_probe_sees_both_servers_and_a_restart_drops_no_request(varnish_site):
    site = varnish_site
    assert site.proxy.backends() == {"app1": "healthy", "app2": "healthy"}
    load = _restart_under_load(site, [site.url + path for path in UNCACHED])
    result = load.result
    assert result.statuses[200] > 100, result.statuses
    assert set(result.statuses) == {200}, (result.statuses, result.bad[:3])
    assert not result.errors, result.errors
    # The probe saw both come back.
    site.proxy.wait_for_backends({"app1": "healthy", "app2": "healthy"})


def test_varnish_keys_on_the_protocol_and_purges_both(varnish_site):
    site = varnish_site
    story = site.url + "/news/harbour-2/"
    first = request(story)
    again = request(story)
    assert first.status == again.status == 200
    assert again.headers["x-proxy-cache"] == "HIT"
    # A reader over plain HTTP gets the redirect to HTTPS, never the HTTPS copy.
    plain = request(story, https=False)
    assert plain.status == 301, plain.status
    assert plain.headers["location"] == "https://news.example.org/news/harbour-2/"
    # Also when a client claims HTTPS from an address that is not the TLS terminator:
    # here every client is 127.0.0.1 (in the ACL), so it is believed; an unknown value
    # is not.
    odd = request(story, https=False, headers={"X-Forwarded-Proto": "gopher"})
    assert odd.status == 301
    assert request(story).headers["x-proxy-cache"] == "HIT"
    # Wagtail's PURGE of the address removes the copies of both protocols.
    purge = request(story, method="PURGE", https=False)
    assert purge.status == 200
    assert request(story).headers["x-proxy-cache"] == "MISS"


def test_varnish_keeps_serving_copies_while_every_app_server_is_down(varnish_site):
    site = varnish_site
    story = site.url + "/news/harbour-3/"
    request(story)
    assert request(story).headers["x-proxy-cache"] == "HIT"
    for app in site.apps:
        app.signal(signal.SIGKILL)
    site.proxy.wait_for_backends({"app1": "sick", "app2": "sick"})
    # Past s-maxage the copy is stale; with no healthy server it is served from grace.
    answers = [request(story) for _ in range(5)]
    assert {a.status for a in answers} == {200}
    assert "Harbour dredging, part 3" in answers[-1].body


def test_nginx_serves_https_redirects_http_and_a_restart_drops_no_request(nginx_site):
    site = nginx_site
    story = site.url + "/news/harbour-1/"
    tls = {"https": False, "tls_context": site.proxy.tls_context}
    first = request(story, **tls)  # a real TLS connection: nginx sets the header
    assert first.status == 200, first.status
    assert "Harbour dredging, part 1" in first.body
    assert request(story, **tls).headers["x-proxy-cache"] == "HIT"
    assert "strict-transport-security" in first.headers
    plain = request(site.proxy.url + "/news/harbour-1/", https=False)
    assert plain.status == 301
    assert plain.headers["location"] == "https://news.example.org/news/harbour-1/"
    load = _restart_under_load(site, [site.url + path for path in UNCACHED], **tls)
    result = load.result
    assert result.statuses[200] > 100, result.statuses
    assert set(result.statuses) == {200}, (result.statuses, _error_kinds(site.proxy.errors()))
    assert not result.errors, result.errors


UNPUBLISH = """
from masthead.articles.models import ArticlePage
ArticlePage.objects.get(slug="harbour-4").unpublish()
"""


def test_nginx_drops_an_unpublished_story_after_s_maxage(newsroom_db, workdir, shared_redis):
    """nginx cannot be purged: its bound is s-maxage (docs/deployment.md). A withdrawn
    story answers 404, which Masthead does not mark public; nginx must not go on serving
    the story's stale copy (stale-while-revalidate) while each refresh brings a 404."""
    seconds = 2
    site = Site(
        workdir,
        newsroom_db,
        shared_redis,
        proxy="nginx",
        servers=1,
        MASTHEAD_PAGE_CACHE_SECONDS=str(seconds),
    )
    try:
        site.start()
        tls = {"https": False, "tls_context": site.proxy.tls_context}
        story = site.url + "/news/harbour-4/"
        assert request(story, **tls).status == 200
        assert request(story, **tls).headers["x-proxy-cache"] == "HIT"
        site.manage(UNPUBLISH)
        unpublished = time.monotonic()
        statuses = []
        while time.monotonic() - unpublished < 30:
            statuses.append(request(story, **tls).status)
            if statuses[-1] == 404:
                break
            time.sleep(0.2)
        gone_after = time.monotonic() - unpublished
        assert statuses[-1] == 404, f"still served {len(statuses)} times over 30 s"
        # s-maxage, then the next reader's request reaches the app and gets its 404.
        assert gone_after < seconds + 3, gone_after
        assert request(story, **tls).status == 404
    finally:
        site.stop()


@pytest.mark.parametrize("proxy", ["varnish", "nginx"])
def test_through_the_proxy_a_lockout_is_the_attackers_alone(proxy, request):
    """Behind the proxies as shipped, every request reaches the app from 127.0.0.1; the
    lockout is per username and address, so keyed on the proxy's address one attacker's
    wrong passwords locked the editor out too. The reader's address comes through
    X-Forwarded-For (masthead.core.clients), as a TLS terminator in front passes it."""
    site = request.getfixturevalue(f"{proxy}_site")
    site.manage(USER)
    tls = {"https": False, "tls_context": site.proxy.tls_context} if proxy == "nginx" else {}
    attacker = Editor(site.url, forwarded_for="198.51.100.66", **tls)
    for _ in range(5):
        assert attacker.sign_in("wrong-password") == "refused"
    assert attacker.sign_in("right-password-9") == "locked"
    assert Editor(site.url, forwarded_for="203.0.113.5", **tls).sign_in("right-password-9") == "in"
    # The attacker cannot pick another address: a proxy appends the one it saw.
    spoofed = Editor(site.url, forwarded_for="203.0.113.5, 198.51.100.66", **tls)
    assert spoofed.sign_in("right-password-9") == "locked"
