"""A newsroom's own site from nothing, as the README's "Start your own newsroom" says.

Fresh folder, `masthead init`, `masthead import wordpress` of a fixture export,
`masthead serve`; every page answers with links on the address given to init, never
on localhost or the address the request came in on.

With ``MASTHEAD_TEST_DATABASE_URL`` (make test-services, the CI's second run) the whole
run is made again on PostgreSQL and Redis: init creates the newsroom in a database of
its own on that server (``DATABASE_URL``) and every command after it uses the same one,
as on a production server whose database is not in the data folder.
"""

import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.test_cli import MASTHEAD, _env, _free_port, _run

EXPORT = Path(__file__).parents[1] / "masthead/imports/tests/data/newsroom-1.2.xml"
PUBLIC = "https://news.valley.example"


def _init(data: Path, *args: str, **env):
    return _run("init", "--data", str(data), *args, timeout=300, **env)


@pytest.fixture
def services() -> dict:
    """Return the environment that puts the newsroom on PostgreSQL and Redis, or {} (SQLite).

    The database is one of this test's own on the test server, dropped afterwards; the
    cache keys carry a prefix of their own on the suite's Redis database, deleted too.
    """
    admin_url = os.environ.get("MASTHEAD_TEST_DATABASE_URL", "")
    if not admin_url.startswith("postgres"):
        yield {}
        return
    import psycopg

    name = f"masthead_newsroom_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    env = {"DATABASE_URL": admin_url.rsplit("/", 1)[0] + "/" + name}
    redis_url = os.environ.get("MASTHEAD_TEST_REDIS_URL", "")
    prefix = f"masthead-newsroom-{os.getpid()}"
    if redis_url:
        env |= {"REDIS_URL": redis_url, "CACHE_KEY_PREFIX": prefix}
    try:
        yield env
    finally:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if redis_url:
            import redis

            client = redis.Redis.from_url(redis_url)
            keys = list(client.scan_iter(match=f"*{prefix}*", count=1000))
            if keys:
                client.delete(*keys)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--base-url", "news.example.org"], "--base-url"),
        (["--base-url", "https://news.example.org/site/"], "path"),
        (["--sections", "News,Analysis,news"], "given twice"),
        (["--sections", "News,,Opinion"], "empty name"),
        (["--sections", "Search"], "/search/"),
        (["--language", "klingon"], "--language"),
        (["--time-zone", "Mars/Olympus"], "--time-zone"),
        (["--admin-email", "not-an-address"], "--admin-email"),
        (["--name", "  "], "--name"),
    ],
)
def test_init_refuses_bad_input_before_writing_anything(tmp_path, args, message):
    data = tmp_path / "data"
    result = _init(data, "--name", "The Valley Courier", *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not data.exists()


def test_init_refuses_a_folder_that_holds_something_else_or_cannot_be_written(tmp_path):
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "thesis.odt").write_text("mine")
    result = _init(taken, "--name", "X")
    assert result.returncode == 2 and "not a Masthead data folder" in result.stderr
    assert sorted(p.name for p in taken.iterdir()) == ["thesis.odt"]
    result = _init(Path("/proc/masthead-newsroom"), "--name", "X")
    assert result.returncode == 2 and "/proc/masthead-newsroom" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_refuses_a_public_host_with_a_local_address(tmp_path):
    result = _run(
        "serve",
        "--no-scheduler",
        "--port",
        str(_free_port()),
        MASTHEAD_DATA_DIR=str(tmp_path),
        SECRET_KEY="s" * 60,
        ALLOWED_HOSTS="news.example.org",
    )
    assert result.returncode == 2, result.stderr
    assert "MASTHEAD_BASE_URL" in result.stderr and "http://localhost" in result.stderr
    assert "Traceback" not in result.stderr


def _get(port: int, path: str, host: str = "127.0.0.1") -> tuple[int, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _hosts(html: str) -> set[str]:
    """Return the hosts of absolute links in the page's head (the story body may link out)."""
    head = html.split("</head>")[0]
    found = set(re.findall(r'(?:href|content|src)="(https?://[^/"]+)', head))
    found |= set(re.findall(r'"(?:url|@id|item)":"(https?://[^/"]+)', head))
    return found - {"https://schema.org"}


NEWSROOM_WRITES = """
from masthead.articles.models import ArticlePage, Correction
from masthead.pages.models import InformationPage
from masthead.sections.models import HomePage, SectionPage
home = HomePage.objects.get()
about = InformationPage(title="About us", slug="about", kind="about")
home.add_child(instance=about)
about.body = [("paragraph", "<p>We are a newsroom of four in the upper valley.</p>")]
about.save_revision().publish()
news = SectionPage.objects.get(slug="news")
story = ArticlePage(title="Harbour vote", slug="harbour-vote", standfirst="The vote is on.")
news.add_child(instance=story)
story.corrections.add(Correction(text="An earlier version misspelt the harbour."))
story.save_revision().publish()
"""


@pytest.mark.slow
def test_a_new_newsroom_from_nothing(tmp_path, services):
    data = tmp_path / "courier"
    password = tmp_path / "password"
    password.write_text("a long passphrase nobody guesses 42\n")
    first = _init(
        data,
        "--name",
        "The Valley Courier",
        "--base-url",
        PUBLIC,
        "--sections",
        "News,Analysis,Opinion",
        "--language",
        "en-gb",
        "--time-zone",
        "Europe/London",
        "--admin-email",
        "ed@valley.example",
        "--password-file",
        str(password),
        **services,
    )
    assert first.returncode == 0, first.stderr[-3000:]
    assert "created the section 'Opinion'" in first.stdout
    assert "created the administrator 'ed'" in first.stdout
    assert "a long passphrase" not in first.stdout
    site_file = (data / "site.env").read_text()
    assert f'MASTHEAD_BASE_URL="{PUBLIC}"' in site_file and 'TIME_ZONE="Europe/London"' in site_file

    if services:
        assert "masthead.sqlite3" not in {p.name for p in data.iterdir()}
    again = _init(data, **services)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "Nothing to change" in again.stdout

    imported = _run(
        "import", "--data", str(data), "wordpress", str(EXPORT), timeout=300, **services
    )
    assert imported.returncode == 0, imported.stderr[-3000:]

    # Write an About page and publish a story with a correction, as an editor would.
    wrote = _run(
        "manage", "--data", str(data), "shell", "-c", NEWSROOM_WRITES, timeout=300, **services
    )
    assert wrote.returncode == 0, wrote.stderr[-3000:]

    # Over a site with stories, init changes nothing without --force.
    refused = _init(data, "--sections", "News,Sport", **services)
    assert refused.returncode == 2 and "--force" in refused.stderr

    port = _free_port()
    env = _env(
        MASTHEAD_DATA_DIR=str(data),
        SECRET_KEY="a-test-secret-key-that-is-long-enough-for-django-checks-0123456789",
        ALLOWED_HOSTS="news.valley.example,127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        WEB_CONCURRENCY="1",
        **services,
    )
    env.pop("MASTHEAD_BASE_URL", None)
    server = subprocess.Popen(
        [*MASTHEAD, "serve", "--no-scheduler", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status, home = _get(port, "/")
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200, "the server did not answer"
        assert "The Valley Courier" in home
        story = re.search(r'<h3 class="card__headline"><a href="([^"]+)"', home).group(1)
        paths = ["/", "/news/", story, "/about/", "/corrections/", "/news/harbour-vote/"]
        paths += ["/feeds/rss/", "/corrections/feed/", "/sitemap.xml", "/robots.txt"]
        status, about = _get(port, "/about/")
        assert "We are a newsroom of four" in about
        assert 'href="/about/">About us' in about.split('class="site-footer"')[1]
        status, corrections = _get(port, "/corrections/")
        assert "misspelt the harbour" in corrections
        for path in paths:
            # Behind a proxy that passes its own Host, the links still name the site.
            status, body = _get(port, path)
            assert status == 200, (path, status)
            assert "localhost" not in body and "127.0.0.1" not in body, path
            if path.endswith("/") and "/feed" not in path:
                assert _hosts(body) == {PUBLIC}, (path, _hosts(body))
                assert f'<link rel="canonical" href="{PUBLIC}/' in body
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert "Traceback" not in output, output[-3000:]
