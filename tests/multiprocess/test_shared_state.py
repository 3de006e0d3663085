"""Guarantees that hold with many workers: the real `masthead serve` (4 workers, the
scheduler in its own process), on SQLite and on PostgreSQL + Redis.

Every check is made against every worker: requests (each on a new connection) repeat
until each worker's id (``X-Masthead-Worker``, tests/multiprocess/settings.py) has
answered. Changes are made from the command line, in processes of their own.

Run: ``.venv/bin/python -m pytest -m multiprocess tests/multiprocess -p no:randomly -n 0``
"""

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from masthead.newsletters.tests import smtp as smtp_sink

pytestmark = [pytest.mark.multiprocess, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4
PORTS = {"sqlite": 8311, "postgres+redis": 8312}
# Each check asks up to this many times for every worker to have answered.
TRIES = 400
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"


def _environment(backend: str, data: Path) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.multiprocess.settings",
        "PYTHONPATH": str(ROOT),
        "MASTHEAD_DATA_DIR": str(data),
        "SECRET_KEY": "multiprocess-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MASTHEAD_PROXY_SSL_HEADER": "off",
        "MASTHEAD_BASE_URL": f"http://127.0.0.1:{PORTS[backend]}",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("DATABASE_URL", "REDIS_URL", "PYTEST_XDIST_WORKER"):
        env.pop(name, None)
    return env


def _admin_url() -> str:
    return os.environ.get("MASTHEAD_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")


def _postgres(env: dict) -> str | None:
    import psycopg

    # MASTHEAD_MP_DATABASE_PREFIX: a name of one's own on a shared server.
    name = f"{os.environ.get('MASTHEAD_MP_DATABASE_PREFIX', 'masthead_mp')}_{os.getpid()}"
    try:
        with psycopg.connect(_admin_url(), autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error:
        return None
    env["DATABASE_URL"] = _admin_url().rsplit("/", 1)[0] + "/" + name
    env["REDIS_URL"] = os.environ.get("MASTHEAD_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
    env["CACHE_KEY_PREFIX"] = f"masthead-mp-{os.getpid()}"
    return name


def _drop_postgres(name: str) -> None:
    import psycopg

    with psycopg.connect(_admin_url(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Server:
    def __init__(self, backend: str, env: dict):
        self.backend = backend
        self.env = env
        self.base = f"http://127.0.0.1:{PORTS[backend]}"

    def command(self, *arguments: str) -> None:
        """Make a change from the command line, in a process of its own."""
        subprocess.run(
            [sys.executable, "-m", "tests.multiprocess.site", *arguments],
            env=self.env,
            cwd=ROOT,
            check=True,
            timeout=120,
            umask=0o077,
        )

    def output(self, *arguments: str) -> str:
        """Run a command like :meth:`command` and return what it printed."""
        return subprocess.run(
            [sys.executable, "-m", "tests.multiprocess.site", *arguments],
            env=self.env,
            cwd=ROOT,
            check=True,
            timeout=120,
            umask=0o077,
            capture_output=True,
            text=True,
        ).stdout

    def get(self, path: str, **kwargs) -> requests.Response:
        headers = {"Connection": "close", "User-Agent": USER_AGENT, **kwargs.pop("headers", {})}
        return requests.get(self.base + path, headers=headers, timeout=30, **kwargs)

    def everywhere(self, path: str, ok, *, within: float | None = None, since: float = 0.0):
        """Ask ``path`` until every worker has answered ``ok(response)``.

        With ``within``, every answer later than ``within`` seconds after ``since`` must
        be ok; without it, every answer must be.
        """
        good, seen = set(), set()
        # Answers from the page cache take milliseconds: a change that may take seconds
        # (``within``) is waited for by the clock, not by a number of tries.
        until = since + within + 30 if within is not None else 0.0
        tries = 0
        while tries < TRIES or time.monotonic() < until:
            tries += 1
            response = self.get(path)
            worker = response.headers["X-Masthead-Worker"]
            seen.add(worker)
            if ok(response):
                good.add(worker)
            else:
                late = within is None or time.monotonic() - since > within
                assert not late, f"{self.backend}: worker {worker} still answers {path} wrongly" + (
                    f" {within}s after the change" if within is not None else ""
                )
            if len(good) == WORKERS:
                return
            if not ok(response):
                time.sleep(0.02)
        raise AssertionError(f"{self.backend}: only workers {good} of {seen} answered {path}")


@pytest.fixture(scope="module", params=list(PORTS))
def server(request, tmp_path_factory):
    backend = request.param
    data = tmp_path_factory.mktemp(f"mp-{backend.replace('+', '-')}")
    data.chmod(0o700)  # `masthead serve` refuses a data folder others can read
    env = _environment(backend, data)
    # Confirmation e-mails go to an SMTP server in this process, to be counted.
    smtp_controller, mailbox = smtp_sink.start()
    env.update(EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp_controller.port))
    database = None
    if backend == "postgres+redis":
        database = _postgres(env)
        if database is None:
            pytest.skip("PostgreSQL is not reachable for the postgres+redis run")
    subprocess.run(
        [sys.executable, "-m", "tests.multiprocess.site", "build"],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=600,
        umask=0o077,
    )
    log = open(data / "server.log", "w")  # noqa: SIM115
    (data / "server.log").chmod(0o600)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "masthead.cli",
            "serve",
            "--port",
            str(PORTS[backend]),
            "--workers",
            str(WORKERS),
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        umask=0o077,
    )
    the_server = Server(backend, env)
    the_server.mailbox = mailbox
    try:
        for _ in range(600):
            try:
                if the_server.get("/").status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert process.poll() is None, (data / "server.log").read_text()[-3000:]
            time.sleep(0.5)
        yield the_server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
        smtp_controller.stop()
        if database:
            _drop_postgres(database)


def _sign_in(server: Server, password: str) -> tuple[bool, str, str]:
    """Try to sign in as the editor; return (signed in, worker, page text)."""
    session = requests.Session()
    session.headers.update({"Connection": "close", "User-Agent": USER_AGENT})
    form = session.get(server.base + "/admin/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    response = session.post(
        server.base + "/admin/login/",
        data={"username": "editor", "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": server.base + "/admin/login/"},
        allow_redirects=False,
        timeout=30,
    )
    return response.status_code == 302, response.headers["X-Masthead-Worker"], response.text


def test_lockout_comes_after_exactly_the_limit_whichever_worker_answers(server):
    # One short of the limit, then the right password: signed in (and counted afresh).
    for _ in range(4):
        assert not _sign_in(server, "wrong")[0]
    assert _sign_in(server, "right-pass-123")[0]
    workers = set()
    for _ in range(5):
        signed_in, worker, _text = _sign_in(server, "wrong")
        assert not signed_in
        workers.add(worker)
    refused_by = set()
    for _ in range(TRIES):
        signed_in, worker, text = _sign_in(server, "right-pass-123")
        assert not signed_in, f"worker {worker} let a locked account in"
        assert "Too many failed sign-ins" in text
        refused_by.add(worker)
        if len(refused_by) == WORKERS:
            break
    assert len(refused_by) == WORKERS
    assert len(workers) > 1  # the failures themselves were spread over workers


def test_a_section_renamed_from_the_command_line_shows_everywhere_within_a_second(server):
    name = f"World {uuid.uuid4().hex[:6]}"
    server.everywhere("/", lambda r: "Analysis" in r.text)  # cached everywhere first
    server.command("rename", "analysis", name)
    done = time.monotonic()
    server.everywhere("/", lambda r: name in r.text, within=1.0, since=done)
    server.everywhere("/news/story-1/", lambda r: name in r.text, within=1.0, since=done)


def _surfaces(slug: str) -> list[str]:
    return ["/", "/news/", "/feeds/rss/", "/sitemap-stories.xml", "/news-sitemap.xml"]


def test_a_scheduled_story_appears_on_every_surface_within_one_pass(server):
    slug = f"embargo-{uuid.uuid4().hex[:6]}"
    title = f"Embargoed harbour budget {slug[-6:]}"
    for path in _surfaces(slug):
        server.everywhere(path, lambda r: slug not in r.text)  # cached without it
    server.command("schedule", slug, title, "3")
    due = time.monotonic() + 3
    interval = 2  # MASTHEAD_SCHEDULER_INTERVAL in tests/multiprocess/settings.py
    # One pass after the story is due, plus the pass's own publishing time.
    for path in _surfaces(slug):
        server.everywhere(path, lambda r: slug in r.text, within=3 + interval + 2, since=due - 3)
    word = slug[-6:]
    server.everywhere(f"/search/?q={word}", lambda r: slug in r.text)


def test_an_unpublished_story_is_gone_from_every_surface_at_once(server):
    slug = f"withdrawn-{uuid.uuid4().hex[:6]}"
    server.command("publish", slug, f"Harbour pilots strike {slug[-6:]}")
    for path in _surfaces(slug):
        server.everywhere(path, lambda r: slug in r.text)  # on every surface, cached
    server.command("unpublish", slug)
    for path in [*_surfaces(slug), f"/search/?q={slug[-6:]}"]:
        # Immediately, on every worker: a withdrawn story is never served from a copy.
        server.everywhere(path, lambda r: slug not in r.text)
    assert server.get(f"/news/{slug}/").status_code == 404


def _popular_first(text: str) -> str | None:
    block = text.partition("discovery--popular")[2]
    found = re.search(r'href="/news/([^/"]+)/"', block)
    return found.group(1) if found else None


def test_popular_follows_thirty_readers_within_a_minute(server):
    # Opinion has no stories of its own, so its Popular block leaves none out.
    target = "story-5"  # the oldest story, read by nobody yet
    page = server.get(f"/news/{target}/").text
    beacon = re.search(r'/discovery/seen/[^"]+\.gif', page).group(0)
    for reader in range(30):
        response = server.get(beacon, headers={"X-Forwarded-For": f"198.51.100.{reader + 1}"})
        assert response.status_code == 200
    started = time.monotonic()
    server.everywhere(
        "/opinion/", lambda r: _popular_first(r.text) == target, within=60, since=started
    )


def test_did_you_mean_learns_a_newly_published_name(server):
    name = "Wojciechowska"
    query = "/search/?q=Wojciechowsky"
    server.everywhere(query, lambda r: name.lower() not in r.text.lower())
    server.command("publish", f"minister-{uuid.uuid4().hex[:6]}", f"{name} named harbour minister")
    # Suggested ("Did you mean") or searched for instead ("Showing results for"), on
    # every worker, straight after the publish.
    server.everywhere(query, lambda r: name.lower() in r.text.lower())


def _newsletter_signup(server: Server, address: str, client: str) -> tuple[int, str]:
    """Sign ``address`` up from ``client`` (as a proxy names it); return (status, worker)."""
    if not hasattr(server, "newsletter"):
        form = server.get("/newsletters/").text
        server.newsletter = re.search(r'name="newsletter" value="(\d+)"', form).group(1)
    response = requests.post(
        server.base + "/newsletters/",
        data={"email": address, "newsletter": server.newsletter},
        headers={"Connection": "close", "User-Agent": USER_AGENT, "X-Forwarded-For": client},
        timeout=30,
    )
    return response.status_code, response.headers["X-Masthead-Worker"]


def _mail_to(server: Server, addresses: set[str]) -> int:
    return sum(1 for recipients, _ in server.mailbox.messages if set(recipients) & addresses)


def test_newsletter_signup_limits_hold_whichever_worker_answers(server):
    # Per client (20 in 10 minutes): 100 sign-ups of new addresses from one client.
    tag = uuid.uuid4().hex[:6]
    addresses = [f"reader-{tag}-{n}@example.org" for n in range(100)]
    answers = [_newsletter_signup(server, a, "198.51.100.200") for a in addresses]
    statuses = [status for status, _ in answers]
    assert statuses.count(200) == 20 and statuses.count(429) == 80, statuses
    assert statuses[:20] == [200] * 20
    assert len({worker for _, worker in answers}) > 1  # spread over the workers
    assert _mail_to(server, set(addresses)) == 20  # one confirmation per accepted sign-up

    # Per address (5 an hour): one address from 30 clients; one confirmation in all.
    victim = f"victim-{tag}@example.org"
    answers = [_newsletter_signup(server, victim, f"203.0.113.{n + 1}") for n in range(30)]
    statuses = [status for status, _ in answers]
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429] * 25, statuses
    assert len({worker for _, worker in answers}) > 1
    assert _mail_to(server, {victim}) == 1


LIVE_PAGE = "/news/live-count/"


def _live_updates(server: Server) -> str:
    page = server.get(LIVE_PAGE).text
    return re.search(r'data-live-updates="([^"]+)"', page).group(1)


def _burst(server: Server, path: str, count: int) -> list[tuple[float, requests.Response]]:
    """Ask ``path`` ``count`` times at once, each on a connection of its own."""
    from concurrent.futures import ThreadPoolExecutor

    def one(_n):
        return time.monotonic(), server.get(path)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def test_a_live_entry_reaches_every_worker_with_one_render_per_cache(server):
    updates = _live_updates(server)
    headline = f"Turnout {uuid.uuid4().hex[:6]}"
    for path in (updates, LIVE_PAGE):
        server.everywhere(path, lambda r: headline not in r.text)  # cached without it
    server.command("live-entry", headline)
    done = time.monotonic()
    # Pollers on every worker at once, for 3 s: every answer asked for a second after
    # the save has the entry, and the change costs one render per page cache (Redis:
    # one for all workers; SQLite: each worker keeps its own copies, so at most one per
    # worker), however many pollers ask.
    answers = []
    while time.monotonic() - done < 3:
        answers += _burst(server, updates, 16)
    late = [sent - done for sent, r in answers if headline not in r.text and sent - done > 1.0]
    assert not late, f"{server.backend}: answers without the entry {late[:3]} s after it"
    misses = [r.headers["X-Masthead-Worker"] for _s, r in answers if r.headers["X-Cache"] == "MISS"]
    renders_allowed = 1 if server.backend == "postgres+redis" else WORKERS
    assert 1 <= len(misses) <= renders_allowed, (server.backend, misses, len(answers))
    assert len({r.headers["X-Masthead-Worker"] for _s, r in answers}) == WORKERS
    for path in (updates, LIVE_PAGE):
        server.everywhere(path, lambda r: headline in r.text, within=1.0, since=done)


def test_a_corrected_live_entry_shows_everywhere_and_a_withdrawn_one_goes_at_once(server):
    updates = _live_updates(server)
    headline = f"Result {uuid.uuid4().hex[:6]}"
    server.command("live-entry", headline)
    for path in (updates, LIVE_PAGE):
        server.everywhere(path, lambda r: headline in r.text)  # cached with it everywhere
    server.command("live-correct", headline, "Eleven districts, not twelve.")
    done = time.monotonic()
    for path in (updates, LIVE_PAGE):
        server.everywhere(path, lambda r: "not twelve" in r.text, within=1.0, since=done)
    server.command("live-withdraw", headline)
    for path in (updates, LIVE_PAGE, "/feeds/live/{}/atom/".format(updates.split("/")[2])):
        # Immediately, on every worker: a withdrawn entry is never served from a copy.
        server.everywhere(path, lambda r: headline not in r.text)


def test_a_scheduled_live_entry_appears_on_every_worker_within_one_pass(server):
    updates = _live_updates(server)
    headline = f"Embargoed count {uuid.uuid4().hex[:6]}"
    # Due 6 s after the command's process saved it: at the latest 6 s from now.
    server.command("live-entry", headline, "6")
    due = time.monotonic() + 6
    for path in (updates, LIVE_PAGE):
        server.everywhere(path, lambda r: headline not in r.text)  # not before its time
    interval = 2  # MASTHEAD_SCHEDULER_INTERVAL in tests/multiprocess/settings.py
    # One pass after the entry is due, plus the pass's own time.
    for path in (updates, LIVE_PAGE):
        server.everywhere(path, lambda r: headline in r.text, within=interval + 2, since=due)


def _away_from_a_minute_boundary() -> None:
    """Wait until the current fixed one-minute window has 25 seconds left at least."""
    deadline = time.monotonic() + 90
    while time.time() % 60 > 35:
        assert time.monotonic() < deadline
        time.sleep(0.5)


def test_api_rate_limit_holds_whichever_worker_answers(server):
    server.command("api-rate", "30")
    client = {"X-Forwarded-For": f"198.51.100.{uuid.uuid4().int % 200 + 1}"}
    _away_from_a_minute_boundary()
    answers = [server.get("/api/v1/sections/", headers=client) for _ in range(45)]
    statuses = [r.status_code for r in answers]
    assert statuses == [200] * 30 + [429] * 15, statuses
    assert len({r.headers["X-Masthead-Worker"] for r in answers}) > 1  # spread over workers
    assert all(1 <= int(r.headers["Retry-After"]) <= 60 for r in answers[30:])
    assert answers[29].headers["RateLimit-Remaining"] == "0"
    # Another client still has its own allowance.
    assert server.get("/api/v1/sections/", headers={"X-Forwarded-For": "203.0.113.77"}).ok


def _from_every_worker(server: Server, ask, check) -> None:
    """Ask (``ask()`` returns a response) until each of the workers has answered once,
    checking every answer with ``check(response, worker)`` on the way."""
    answered = set()
    for _ in range(TRIES):
        response = ask()
        worker = response.headers["X-Masthead-Worker"]
        check(response, worker)
        answered.add(worker)
        if len(answered) == WORKERS:
            return
    raise AssertionError(f"{server.backend}: only workers {sorted(answered)} answered")


def test_a_revoked_api_key_is_refused_by_every_worker_at_once(server):
    name = f"Coastal Herald {uuid.uuid4().hex[:6]}"
    key = server.output("api-key", name).strip()
    assert key.startswith("mh_")
    headers = {"Authorization": f"Bearer {key}"}

    def stories():
        return server.get("/api/v1/stories/?limit=1", headers=headers)

    def accepted(response, worker):
        assert response.status_code == 200, response.text

    def refused(response, worker):
        assert response.status_code == 401, f"worker {worker} still accepts a revoked key"

    _from_every_worker(server, stories, accepted)
    server.command("api-revoke", name)
    _from_every_worker(server, stories, refused)


PRIVATE_STORY = "/news/members-briefing/"  # behind a page password (site.py, build)
PAGE_PASSWORD = "harbour-secret-1"


def _form_session(server: Server, path: str) -> tuple[requests.Session, str, str]:
    """Open ``path`` (a form); return a session with its CSRF cookie, the token, the page."""
    session = requests.Session()
    session.headers.update({"Connection": "close", "User-Agent": USER_AGENT})
    page = session.get(server.base + path, timeout=30).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return session, token, page


def _client() -> str:
    """A client address of its own for one test, as the proxy names it."""
    number = uuid.uuid4().int
    return f"10.{number % 250 + 1}.{number // 250 % 250 + 1}.{number // 62500 % 250 + 1}"


def test_page_password_lock_comes_after_exactly_the_limit_whichever_worker_answers(server):
    session, token, page = _form_session(server, PRIVATE_STORY)
    action = re.search(r'action="(/_util/authenticate_with_password/\d+/\d+/)"', page).group(1)
    client = _client()

    def attempt(password: str, client: str = client) -> requests.Response:
        return session.post(
            server.base + action,
            data={
                "password": password,
                "return_url": PRIVATE_STORY,
                "csrfmiddlewaretoken": token,
            },
            headers={"X-Forwarded-For": client},
            allow_redirects=False,
            timeout=30,
        )

    # One short of the limit (5, MASTHEAD_PAGE_PASSWORD_FAILURE_LIMIT), then the right
    # password: let in (302 to the story), and the count starts afresh.
    workers = set()
    for n in range(4):
        response = attempt(f"guess-{n}")
        assert response.status_code == 200, response.status_code  # the form again
        workers.add(response.headers["X-Masthead-Worker"])
    response = attempt(PAGE_PASSWORD)
    assert response.status_code == 302, response.status_code
    # Exactly the limit of wrong passwords, each refused as wrong, none as throttled.
    for n in range(5):
        response = attempt(f"again-{n}")
        assert response.status_code == 200, response.status_code
        assert "Too many wrong passwords" not in response.text
        workers.add(response.headers["X-Masthead-Worker"])
    assert len(workers) > 1  # the attempts were spread over workers

    # The next attempt, even with the right password, is refused by every worker.
    def locked(response, worker):
        assert response.status_code == 429, f"worker {worker} answered {response.status_code}"
        assert "Too many wrong passwords from your address. Try again in 15 minutes." in (
            response.text
        )

    _from_every_worker(server, lambda: attempt(PAGE_PASSWORD), locked)
    # The lock is this client's: another address still gets in with the password.
    assert attempt(PAGE_PASSWORD, client=_client()).status_code == 302


def test_password_reset_limits_hold_whichever_worker_answers(server):
    session, token, _page = _form_session(server, "/admin/password_reset/")

    def request_reset(address: str, client: str) -> requests.Response:
        return session.post(
            server.base + "/admin/password_reset/",
            data={"email": address, "csrfmiddlewaretoken": token},
            headers={"X-Forwarded-For": client},
            allow_redirects=False,
            timeout=30,
        )

    def refused(response, worker):
        assert response.status_code == 429, f"worker {worker} answered {response.status_code}"
        assert "Too many password-reset requests" in response.text

    def refused_everywhere(ask) -> None:
        _from_every_worker(server, ask, refused)

    # Per client (10 an hour, MASTHEAD_RESET_CLIENT_LIMIT): 10 unknown addresses accepted
    # (302 to "done"), the 11th and later refused by every worker.
    tag = uuid.uuid4().hex[:6]
    client = _client()
    answers = [request_reset(f"nobody-{tag}-{n}@example.org", client) for n in range(10)]
    assert [r.status_code for r in answers] == [302] * 10
    assert len({r.headers["X-Masthead-Worker"] for r in answers}) > 1
    extra = iter(range(10, 10 + TRIES))
    refused_everywhere(lambda: request_reset(f"nobody-{tag}-{next(extra)}@example.org", client))

    # Per address (3 an hour, MASTHEAD_RESET_ADDRESS_LIMIT): the editor's address asked
    # for from a new client each time; 3 accepted, 3 e-mails, then refused everywhere.
    editor = "editor@example.org"
    before = _mail_to(server, {editor})
    answers = [request_reset(editor, _client()) for _ in range(3)]
    assert [r.status_code for r in answers] == [302] * 3
    refused_everywhere(lambda: request_reset(editor.upper(), _client()))
    assert _mail_to(server, {editor}) - before == 3
