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
from masthead.search.archive import ensure_site
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
        return response.read().decode(), dict(response.headers)


def _wait(url: str, process: subprocess.Popen, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped"
        try:
            _get(url)
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"{url} did not answer")


def test_a_correction_is_visible_through_varnish_within_a_second(tmp_path):
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
    )

    def manage(*args: str) -> str:
        result = subprocess.run(
            [*MASTHEAD, "manage", *args], env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout

    manage("migrate", "-v0")
    path = re.search(r"URL (\S+)", manage("shell", "-c", SETUP)).group(1)
    vcl = (ROOT / "deploy" / "varnish" / "masthead.vcl").read_text()
    (tmp_path / "masthead.vcl").write_text(vcl.replace('"8000"', f'"{app_port}"'))
    server = subprocess.Popen(
        [*MASTHEAD, "serve", "--port", str(app_port), "--no-scheduler"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    varnish = subprocess.Popen(
        [
            shutil.which("varnishd"),
            "-F",
            "-n",
            str(tmp_path / "varnish"),
            "-a",
            f"127.0.0.1:{proxy_port}",
            "-f",
            str(tmp_path / "masthead.vcl"),
            "-s",
            "malloc,32m",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait(f"http://127.0.0.1:{app_port}/", server)
        _wait(f"{proxy}/", varnish)
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
