"""Browser tests: Playwright for Python driving Debian's Chromium against a real server.

Each site the tests need (``newsroom_site``, ``hostile_site``) runs in a process of its
own (``server.py``) on a port in 8100-8199, on a copy of the suite's migrated test
database, seeded once per session. Chromium is launched once per session by
pytest-playwright. Screenshots and reports go to ``test-artifacts/browser/``.
"""

import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.browser.chromium import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = Path(os.environ.get("MASTHEAD_CHROMIUM", "/usr/bin/chromium"))
NODE_MODULES = ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
PORTS = range(8100, 8200)
SERVER_START_TIMEOUT = int(os.environ.get("MASTHEAD_BROWSER_SERVER_TIMEOUT", "600"))


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


# Playwright's sync API runs an event loop in the test thread for the whole session,
# which Django's guard against database calls from async code would take for one.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _missing_browser() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright is not installed: pip install -e '.[test]'"
    if not CHROMIUM.exists():
        return (
            f"Chromium not found at {CHROMIUM}: apt-get install chromium "
            "(or set MASTHEAD_CHROMIUM to its path); never `playwright install` here"
        )
    return None


@pytest.fixture(autouse=True)
def _needs_chromium():
    reason = _missing_browser()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.skip(f"axe-core not found at {AXE}: run `npm ci` in the project folder")
    return AXE.read_text()


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.skip("Java not found: apt-get install default-jre-headless")
    if not VNU.exists():
        pytest.skip(f"vnu.jar not found at {VNU}: run `npm ci` in the project folder")
    return [java, "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout"]


# Servers ----------------------------------------------------------------------------


def _ports() -> range:
    """This process's share of PORTS: pytest-xdist workers (gw0, gw1, ...) each pick from
    their own slice, since a port found free is only bound after the seeding."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return PORTS
    count = max(int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")), 1)
    size = len(PORTS) // count
    index = int(worker[2:] or 0) % count
    return range(PORTS.start + index * size, PORTS.start + (index + 1) * size)


def _free_port() -> int:
    for port in _ports():
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {_ports().start}-{_ports().stop - 1}")


class SiteServer:
    """One seeded site served by ``python -m tests.browser.server`` in a subprocess."""

    def __init__(self, site: str, data: Path, migrated_db: Path | None):
        self.site = site
        self.data = data
        self.log_path = ARTIFACTS / f"server-{site}.log"
        if migrated_db is not None:
            shutil.copyfile(migrated_db, data / "site.sqlite3")
        self.port = _free_port()
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("MASTHEAD_TEST_DATABASE_URL", "MASTHEAD_TEST_REDIS_URL")
        }
        env["PYTHONUNBUFFERED"] = "1"
        command = [
            sys.executable,
            "-m",
            "tests.browser.server",
            "--data",
            str(data),
            "--port",
            str(self.port),
            "--site",
            site,
        ]
        if migrated_db is None:
            command.append("--migrate")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )
        self._lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.info: dict | None = None

    def _read(self) -> None:
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def ready(self) -> dict:
        """Return the seeding report once the server answers; fail with its log otherwise."""
        if self.info is not None:
            return self.info
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = self._lines.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:
                break
            if line.startswith("READY "):
                self.info = json.loads(line[6:])
                self.info["base_url"] = f"http://127.0.0.1:{self.port}"
                return self.info
        self.stop()
        log = self.log_path.read_text()[-3000:]
        pytest.fail(f"the {self.site} test server did not start; end of its log:\n{log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


@pytest.fixture(scope="session")
def migrated_db(migrated_sqlite) -> Path | None:
    """The suite's migrated SQLite test database as a file (see the root conftest).

    On PostgreSQL runs (no SQLite test database) the server migrates its own file.
    """
    return migrated_sqlite


def _site(name: str, request, tmp_path_factory, migrated_db):
    server = SiteServer(name, tmp_path_factory.mktemp(f"site-{name}"), migrated_db)
    request.addfinalizer(server.stop)
    return server.ready()


@pytest.fixture(scope="session")
def newsroom_site(request, tmp_path_factory, artifacts, migrated_db) -> dict:
    """A part of the demo newsroom, with an editor account (see ``sites.py``)."""
    return _site("newsroom", request, tmp_path_factory, migrated_db)


@pytest.fixture(scope="session")
def hostile_site(request, tmp_path_factory, artifacts, migrated_db) -> dict:
    """A newsroom whose every editor-written field holds injection vectors."""
    from .vectors import corpus_paths

    missing = [str(p) for p in corpus_paths() if not p.exists()]
    assert not missing, (
        f"script-injection corpus not found: {missing[0]} (tests/data is part of the checkout)"
    )
    return _site("hostile", request, tmp_path_factory, migrated_db)
