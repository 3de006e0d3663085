"""Varnish with deploy/varnish/masthead.vcl in front of `masthead serve`: a correction
shows through the proxy within a second, because publishing bans the story's tags."""

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
MASTHEAD = [sys.executable, "-m", "masthead.cli"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("varnishd") is None, reason="varnishd is not installed"),
]

SETUP = """
from masthead.articles.factories import ArticlePageFactory
from masthead.demo.archive import ensure_site
section = ensure_site()[0]
story = ArticlePageFactory(parent=section, live=False, slug="bridge-closed",
                           title="The harbour bridge closes for repairs", standfirst="Ferries run.")
story.save_revision().publish()
print("URL", story.url)
"""

CORRECT = """
from masthead.articles.models import ArticlePage, Correction
story = ArticlePage.objects.get(slug="bridge-closed")
Correction.objects.create(page=story, text="An earlier version gave the wrong closing date.")
story.save_revision().publish()
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[str, dict]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode(), response.headers  # case-insensitive names


def _wait(
    url: str, process: subprocess.Popen, log: Path | None = None, seconds: float = 300
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, (
            f"the server stopped: {log.read_text()[-2000:] if log else ''}"
        )
        try:
            _get(url)
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"{url} did not answer: {log.read_text()[-2000:] if log else ''}")


def _redis_url() -> str:
    url = os.environ.get("MASTHEAD_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    host, _, port = url.split("//", 1)[1].split("/", 1)[0].rpartition(":")
    try:
        socket.create_connection((host, int(port or 6379)), timeout=2).close()
    except (OSError, ValueError):
        pytest.skip(f"Redis is not reachable at {url}")
    return url


def test_a_correction_is_visible_through_varnish_within_a_second(tmp_path):
    # The correction is published from another process (as from a second app server),
    # so the server and the publisher must share the cache: Redis, as in production.
    redis_url = _redis_url()
    app_port, proxy_port = _free_port(), _free_port()
    proxy = f"http://127.0.0.1:{proxy_port}"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        MASTHEAD_DATA_DIR=str(tmp_path / "data"),
        SECRET_KEY="a-test-secret-key-that-is-long-enough-for-django-checks-0123456789",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        WEB_CONCURRENCY="1",
        MASTHEAD_PURGE_URL=proxy,
        REDIS_URL=redis_url,
    )

    def manage(*args: str) -> str:
        result = subprocess.run(
            [*MASTHEAD, "manage", *args], env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout

    manage("migrate", "-v0")
    path = re.search(r"URL (\S+)", manage("shell", "-c", SETUP)).group(1)
    # varnishd reads the VCL after dropping privileges: pytest's folders are private.
    shared = Path(tempfile.mkdtemp(prefix="masthead-varnish-"))
    shared.chmod(0o755)
    vcl = (ROOT / "deploy" / "varnish" / "masthead.vcl").read_text()
    # Both backends of the documented director point at the one server of this test.
    vcl = vcl.replace('"8000"', f'"{app_port}"').replace('"8001"', f'"{app_port}"')
    # The health probe asks as a reader of this test's site would (its address is
    # localhost); with a host the server does not answer to, both backends are sick.
    assert '"Host: news.example.org"' in vcl
    vcl = vcl.replace('"Host: news.example.org"', '"Host: localhost"')
    (shared / "masthead.vcl").write_text(vcl)
    (shared / "masthead.vcl").chmod(0o644)
    server = subprocess.Popen(
        [*MASTHEAD, "serve", "--port", str(app_port), "--no-scheduler"],
        env=env,
        stdout=(tmp_path / "server.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    varnish = subprocess.Popen(
        [
            shutil.which("varnishd"),
            "-F",
            "-n",
            str(shared / "varnish"),
            "-a",
            f"127.0.0.1:{proxy_port}",
            "-f",
            str(shared / "masthead.vcl"),
            "-s",
            "malloc,32m",
        ],
        stdout=(tmp_path / "varnish.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        # varnishd's compiler runs as its own user in the work folder: a private umask
        # left by an earlier in-process `masthead` command (file_modes) would lock it out.
        umask=0o022,
    )
    try:
        _wait(f"http://127.0.0.1:{app_port}/", server, tmp_path / "server.log")
        _wait(f"{proxy}/", varnish, tmp_path / "varnish.log")
        for url in (f"{proxy}{path}", f"{proxy}/"):
            _get(url)
            body, headers = _get(url)
            assert headers["X-Proxy-Cache"] == "HIT", url
            assert "X-Cache-Tags" not in headers  # internal: stripped for readers
        assert "wrong closing date" not in body

        manage("shell", "-c", CORRECT)
        published = time.monotonic()
        seen = None
        while time.monotonic() - published < 5:
            body, headers = _get(f"{proxy}{path}")
            if "wrong closing date" in body:
                seen = time.monotonic() - published
                break
            time.sleep(0.05)
        assert seen is not None and seen < 1.0, f"correction seen after {seen} s"
        # The home page lists the story, so its copy was banned with it.
        _, headers = _get(f"{proxy}/")
        assert headers["X-Proxy-Cache"] == "MISS"

        # Only the app servers may ban; a malformed ban is refused.
        request = urllib.request.Request(proxy + "/", method="BAN", headers={"X-Ban-Tags": "a b"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 400
    finally:
        for process in (varnish, server):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        shutil.rmtree(shared, ignore_errors=True)
