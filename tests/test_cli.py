"""The `masthead` command: clear errors for bad input, and a demo that really serves."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

MASTHEAD = [sys.executable, "-m", "masthead.cli"]


def _env(**extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DJANGO_SETTINGS_MODULE",
            "MASTHEAD_DATA_DIR",
            "DATABASE_URL",
            "REDIS_URL",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
        }
    }
    env.update(extra)
    return env


def _run(*args, timeout=120, **env):
    return subprocess.run(
        [*MASTHEAD, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_env(**env),
        check=False,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_demo_refuses_a_port_in_use_and_creates_nothing(tmp_path):
    data = tmp_path / "data"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _run("demo", "--port", str(port), "--data", str(data))
    assert result.returncode == 2
    assert f"Port {port}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not data.exists()


def test_demo_refuses_a_data_folder_it_cannot_write(tmp_path):
    result = _run("demo", "--port", str(_free_port()), "--data", "/proc/masthead-data")
    assert result.returncode == 2
    assert "/proc/masthead-data" in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_database_url_is_named(tmp_path):
    result = _run("manage", "check", MASTHEAD_DATA_DIR=str(tmp_path), DATABASE_URL="mysql//oops")
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_without_a_secret_key_stops_with_a_clear_message(tmp_path):
    result = _run(
        "serve",
        "--port",
        str(_free_port()),
        MASTHEAD_DATA_DIR=str(tmp_path),
        ALLOWED_HOSTS="news.example.org",
    )
    assert result.returncode == 2
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_manage_creates_the_data_folder_when_the_key_comes_from_the_environment(tmp_path):
    data = tmp_path / "new" / "data"
    result = _run("manage", "migrate", "-v0", MASTHEAD_DATA_DIR=str(data), SECRET_KEY="k" * 60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (data / "masthead.sqlite3").exists()


def test_manage_runs_any_django_command(tmp_path):
    result = _run("manage", "check", MASTHEAD_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
    assert (tmp_path / "secret_key").exists()


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.mark.slow
def test_demo_serves_the_newsroom_and_stops_cleanly_on_ctrl_c(tmp_path):
    port = _free_port()
    data = tmp_path / "data"
    started = time.monotonic()
    process = subprocess.Popen(
        [*MASTHEAD, "demo", "--port", str(port), "--data", str(data), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=_env(),
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        status = None
        while time.monotonic() - started < 300:
            try:
                status, home = _get(base + "/")
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        assert status == 200, "the demo did not answer within five minutes"
        story = re.search(r'<h3 class="card__headline"><a href="([^"]+)"', home).group(1)
        status, html = _get(base + story)
        assert status == 200
        assert "Related articles" in html and "Popular" in html
        assert _get(base + "/admin/login/")[0] == 200
        status, html = _get(base + "/no-such-page/")
        assert status == 404 and "We could not find that page" in html
        login = (data / "demo-login.txt").read_text().strip()
        assert login.startswith("editor:")
    finally:
        # Ctrl-C in a terminal sends SIGINT to the whole process group.
        os.killpg(process.pid, signal.SIGINT)
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
            pytest.fail("the demo did not stop within 20 s of Ctrl-C")
    assert process.returncode == 0, output[-3000:]
    assert "Login:  editor / " in output
    assert "Traceback" not in output
    # Nothing is left listening on the port (TIME_WAIT sockets may remain, as for any server).
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))
    # A second run finds the newsroom and adds nothing.
    second = subprocess.Popen(
        [*MASTHEAD, "demo", "--port", str(port), "--data", str(data), "--workers", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=_env(),
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if _get(base + "/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
    finally:
        os.killpg(second.pid, signal.SIGINT)
        output2, _ = second.communicate(timeout=20)
    assert "(0 new)" in output2, output2[-1500:]
    assert Path(data / "masthead.sqlite3").exists()


@pytest.mark.slow
def test_serve_runs_with_production_settings_from_the_environment(tmp_path):
    port = _free_port()
    process = _start_serve(tmp_path, port)
    try:
        assert _wait_for_login_page(process, port) == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/", timeout=10) as r:
            assert r.headers["X-Content-Type-Options"] == "nosniff"
            # Production settings mark the CSRF cookie Secure.
            assert "secure" in (r.headers.get("Set-Cookie") or "").lower()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert "Traceback" not in output, output[-2000:]


@pytest.mark.slow  # migrates a fresh database: about 30 s here
def test_serve_with_gunicorn_answers_and_stops_on_sigterm(tmp_path):
    # granian is the default (the other serve and demo tests); gunicorn stays a choice.
    port = _free_port()
    process = _start_serve(tmp_path, port, "--no-scheduler", "--server", "gunicorn")
    try:
        assert _wait_for_login_page(process, port) == 200
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output[-2000:]
    assert "Traceback" not in output, output[-2000:]


def test_serve_names_an_unknown_server(tmp_path):
    result = _run("serve", "--data", str(tmp_path), MASTHEAD_SERVER="uwsgi", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "Unknown server 'uwsgi'" in result.stderr


def _start_serve(data: Path, port: int, *options: str) -> subprocess.Popen:
    """Start `masthead serve --migrate` with production settings on a fresh data folder."""
    env = {
        "MASTHEAD_DATA_DIR": str(data),
        "SECRET_KEY": "a-test-secret-key-that-is-long-enough-for-django-checks-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "WEB_CONCURRENCY": "1",
    }
    return subprocess.Popen(
        [*MASTHEAD, "serve", "--migrate", *options, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=_env(**env),
        start_new_session=True,
    )


def _wait_for_login_page(process: subprocess.Popen, port: int) -> int | None:
    """Return the status of the admin login page once the server answers (None if it died)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        try:
            status, _ = _get(f"http://127.0.0.1:{port}/admin/login/")
            return status
        except OSError:
            time.sleep(0.5)
    return None
