"""Real servers for the production tests: PostgreSQL databases, app servers, Redis,
Varnish and nginx of a test's own, and a load generator that records every answer.

Ports: app servers and proxies 8600-8999, Redis servers 6400-6499. A port handed out
is reserved for the life of the test process, across processes too (a lock file each),
so a Redis a test stops is never restarted on the same port by a test running beside it
in another pytest-xdist worker, nor taken as the address where nothing listens. Nothing here touches the shared PostgreSQL beyond the databases it
creates, nor the shared Redis beyond the database number it is given.
"""

import contextlib
import fcntl
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MASTHEAD = [sys.executable, "-m", "masthead.cli"]
PG_ADMIN_URL = os.environ.get(
    "MASTHEAD_PRODUCTION_PG", "postgres://postgres@127.0.0.1:5432/postgres"
)
# A Redis the tests that do not stop it share: MASTHEAD_PRODUCTION_REDIS if set (a
# database number of the suite's own), else one the test process starts (conftest).
SHARED_REDIS_URL = os.environ.get("MASTHEAD_PRODUCTION_REDIS", "")
APP_PORTS = range(8600, 9000)
REDIS_PORTS = range(6400, 6500)
PORT_LOCKS = Path(tempfile.gettempdir()) / "masthead-test-ports"
HOST = "news.example.org"
SECRET = "production-test-secret-" + "k" * 40


def free_port(ports: range) -> int:
    """Return a port of ``ports`` nobody listens on, reserved for this process.

    Binding the port shows nobody listens now; an exclusive lock on the port's file
    (held until this process ends) keeps every other test process off it, also while
    a server of this process that uses it is stopped (a Redis outage)."""
    PORT_LOCKS.mkdir(exist_ok=True)
    start = os.getpid() % len(ports)
    for offset in range(len(ports)):
        port = ports[(start + offset) % len(ports)]
        if port in _handed_out:
            continue
        lock = open(PORT_LOCKS / f"{port}.lock", "w")  # noqa: SIM115 - held until exit
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            continue
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                lock.close()
                continue
        _handed_out[port] = lock
        return port
    pytest.skip(f"no free port in {ports.start}-{ports.stop - 1}")


_handed_out: dict[int, object] = {}  # port -> its lock file, open


def postgres_or_skip():
    try:
        import psycopg

        psycopg.connect(PG_ADMIN_URL, connect_timeout=2, autocommit=True).close()
    except Exception as exc:
        pytest.skip(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc}")


def redis_or_skip(url: str):
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:
        pytest.skip(f"Redis is not reachable at {url}: {exc}")


@dataclass
class Database:
    """A PostgreSQL database of one test's own on the shared server."""

    name: str
    admin_url: str = PG_ADMIN_URL

    @property
    def url(self) -> str:
        """The app's address: as its own role, not a superuser, like a real site (and so
        that a connection limit applies to it)."""
        server = self.admin_url.rsplit("/", 1)[0].split("@", 1)[-1]
        return f"postgres://{self.name}@{server}/{self.name}"

    def admin(self):
        import psycopg

        return psycopg.connect(self.admin_url, autocommit=True)

    def create(self, template: "Database | None" = None) -> "Database":
        """Create the role and the database, empty or as a copy of ``template``.

        A copy's tables belong to the template's role: they are handed to this one, as
        if this role had migrated them itself.
        """
        with self.admin() as conn:
            conn.execute(f'CREATE ROLE "{self.name}" LOGIN')
            copy = f' TEMPLATE "{template.name}"' if template else ""
            _retry_in_use(
                lambda: conn.execute(f'CREATE DATABASE "{self.name}"{copy} OWNER "{self.name}"')
            )
        if template is not None:
            import psycopg

            inside = self.admin_url.rsplit("/", 1)[0] + "/" + self.name
            with psycopg.connect(inside, autocommit=True) as conn:
                conn.execute(f'REASSIGN OWNED BY "{template.name}" TO "{self.name}"')
        return self

    def make_template(self) -> None:
        """Let copies be made of this database: the database itself goes to the admin,
        so that handing a copy's tables over moves nothing else."""
        with self.admin() as conn:
            conn.execute(f'ALTER DATABASE "{self.name}" OWNER TO CURRENT_USER')
            # A copy fails while anyone is connected to the template ("source database is
            # being accessed by other users"), autovacuum's workers included, which visit a
            # freshly filled database: no more connections to it, and none left.
            conn.execute(f'ALTER DATABASE "{self.name}" WITH ALLOW_CONNECTIONS false')
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [self.name],
            )

    def drop(self) -> None:
        with self.admin() as conn:
            _retry_in_use(
                lambda: conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            )
            conn.execute(f'DROP ROLE IF EXISTS "{self.name}"')

    def connections(self) -> int:
        """Return how many sessions are connected to this database now."""
        with self.admin() as conn:
            return conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [self.name]
            ).fetchone()[0]

    def set_connection_limit(self, limit: int) -> None:
        """Refuse the app's new connections beyond ``limit`` (-1: no limit), as a full
        server would ("too many connections for role")."""
        with self.admin() as conn:
            conn.execute(f'ALTER ROLE "{self.name}" CONNECTION LIMIT {int(limit)}')

    def terminate(self) -> int:
        """Kill every session on this database, as a restart of PostgreSQL would."""
        with self.admin() as conn:
            return len(
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    [self.name],
                ).fetchall()
            )

    @staticmethod
    def max_connections() -> int:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            return int(conn.execute("SHOW max_connections").fetchone()[0])


def _retry_in_use(statement, attempts: int = 10):
    """Run ``statement``, again a moment later while PostgreSQL says the database is in
    use (a session that has not quite ended, an autovacuum worker)."""
    import psycopg

    for attempt in range(attempts):
        try:
            return statement()
        except psycopg.errors.ObjectInUse:
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)


def new_database(prefix: str = "masthead_prod", template: Database | None = None) -> Database:
    return Database(f"{prefix}_{uuid.uuid4().hex[:10]}").create(template)


class ConnectionSampler(threading.Thread):
    """Sample a database's session count every ``interval`` seconds; keep the peak."""

    def __init__(self, database: Database, interval: float = 0.05):
        super().__init__(daemon=True)
        self.database, self.interval = database, interval
        self.peak = 0
        self.samples = 0
        self._stop_event = threading.Event()

    def run(self):
        import psycopg

        with psycopg.connect(self.database.admin_url, autocommit=True) as conn:
            while not self._stop_event.is_set():
                count = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s",
                    [self.database.name],
                ).fetchone()[0]
                self.peak = max(self.peak, count)
                self.samples += 1
                self._stop_event.wait(self.interval)

    def stop(self) -> int:
        self._stop_event.set()
        self.join(10)
        return self.peak


def clean_env() -> dict:
    """Return this process's environment without the test suite's own settings."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "MASTHEAD_", "PYTEST_"))
        and k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS"}
    }


def production_env(data: Path, database: Database | None, **extra: str) -> dict:
    """Return the environment of an app server as docs/deployment.md sets it."""
    env = clean_env()
    env.update(
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS=f"{HOST},127.0.0.1,localhost",
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        MASTHEAD_BASE_URL=f"https://{HOST}",
        MASTHEAD_DATA_DIR=str(data),
        MASTHEAD_SITE_NAME="Harbour Times",
        WEB_CONCURRENCY="2",
    )
    if database is not None:
        env["DATABASE_URL"] = database.url
    env.update(extra)
    return env


def masthead(env: dict, *args: str, timeout: float = 300) -> str:
    """Run one `masthead` command to completion and return its output; fail with its errors."""
    done = subprocess.run(
        [*MASTHEAD, *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"masthead {' '.join(args)}:\n{done.stderr[-3000:]}"
    return done.stdout


@dataclass
class Answer:
    status: int
    headers: dict
    body: str
    raw_cookies: list = field(default_factory=list)  # every Set-Cookie value


def request(
    url: str,
    *,
    host: str = HOST,
    https: bool = True,
    method: str = "GET",
    headers: dict | None = None,
    data: bytes | None = None,
    timeout: float = 15,
    tls_context=None,
) -> Answer:
    """Make one request as a proxy's client would (Host, X-Forwarded-Proto); never raise
    for an HTTP status. Connection errors raise OSError."""
    all_headers = {"Host": host}
    if https:
        all_headers["X-Forwarded-Proto"] = "https"
    all_headers.update(headers or {})
    req = urllib.request.Request(url, method=method, headers=all_headers, data=data)
    handlers = [NoRedirect]
    if url.startswith("https:"):
        import ssl

        context = tls_context or ssl.create_default_context()
        handlers.append(urllib.request.HTTPSHandler(context=context))
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(req, timeout=timeout) as response:
            return Answer(
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read().decode(errors="replace"),
                response.headers.get_all("Set-Cookie") or [],
            )
    except urllib.error.HTTPError as exc:
        return Answer(
            exc.code,
            {k.lower(): v for k, v in exc.headers.items()},
            exc.read().decode(errors="replace"),
            exc.headers.get_all("Set-Cookie") or [],
        )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Process:
    """A server process of the test's own, in its own session, with its log in a file."""

    def __init__(self, name: str, command: list[str], env: dict | None, log: Path):
        self.name, self.command, self.env, self.log = name, command, env, log
        self.popen: subprocess.Popen | None = None

    def start(self) -> "Process":
        self.popen = subprocess.Popen(
            self.command,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal(self, sig: int) -> None:
        if self.running():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)

    def stop(self, timeout: float = 30) -> None:
        if self.popen is None:
            return
        self.signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.popen.wait(timeout=10)

    def kill(self) -> None:
        """Kill the whole process group at once, as a crash or the OOM killer would."""
        self.signal(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait(timeout=10)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def wait_until(self, check, seconds: float = 180, what: str = "") -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.popen is not None and self.popen.poll() is not None:
                pytest.fail(f"{self.name} stopped:\n{self.output()[-3000:]}")
            try:
                if check():
                    return
            except OSError:
                pass
            time.sleep(0.2)
        pytest.fail(f"{self.name}: {what or 'did not get ready'}\n{self.output()[-3000:]}")


def app_server(
    env: dict, log_dir: Path, *, port: int | None = None, name: str = "app", args=()
) -> tuple[Process, int]:
    """Start `masthead serve` and wait until it answers; return it and its port."""
    port = port or free_port(APP_PORTS)
    process = Process(
        name,
        [*MASTHEAD, "serve", "--port", str(port), *args],
        env,
        log_dir / f"{name}-{port}.log",
    ).start()
    process.wait_until(
        lambda: request(f"http://127.0.0.1:{port}/").status < 500, what="did not answer"
    )
    return process, port


class RedisServer(Process):
    """A Redis of the test's own (ports 6400-6499), to stop and start at will."""

    def __init__(self, log_dir: Path, port: int | None = None):
        self.port = port or free_port(REDIS_PORTS)
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed")
        super().__init__(
            f"redis:{self.port}",
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            None,
            log_dir / f"redis-{self.port}.log",
        )

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        super().start()
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        self.wait_until(client.ping, seconds=20)
        return self


def private_folder(prefix: str) -> Path:
    """A folder varnishd and nginx can read after they drop privileges."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o755)
    return folder


class Varnish(Process):
    """varnishd with deploy/varnish/masthead.vcl, its backends pointed at ``ports``."""

    def __init__(self, backends: list[int], log_dir: Path, probe_interval: str = "1s"):
        binary = shutil.which("varnishd")
        if binary is None:
            pytest.skip("varnishd is not installed")
        self.port = free_port(APP_PORTS)
        self.folder = private_folder("masthead-varnish-")
        vcl = vcl_for(backends, probe_interval)
        (self.folder / "masthead.vcl").write_text(vcl)
        (self.folder / "masthead.vcl").chmod(0o644)
        super().__init__(
            f"varnish:{self.port}",
            [
                binary,
                "-F",
                "-n",
                str(self.folder / "work"),
                "-a",
                f"127.0.0.1:{self.port}",
                "-f",
                str(self.folder / "masthead.vcl"),
                "-s",
                "malloc,64m",
                "-p",
                "ban_lurker_sleep=0.01",
            ],
            None,
            log_dir / f"varnish-{self.port}.log",
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def backends(self) -> dict[str, str]:
        """Return each backend's probe verdict ("healthy" or "sick") from varnishadm."""
        done = subprocess.run(
            [shutil.which("varnishadm"), "-n", str(self.folder / "work"), "backend.list"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        verdicts = {}
        for line in done.stdout.splitlines()[1:]:
            parts = line.split()
            if len(parts) >= 3:
                name = parts[0].rsplit(".", 1)[-1]
                if not re.fullmatch(r"app\d+", name):  # the director
                    continue
                verdicts[name] = "healthy" if "healthy" in line.lower() else "sick"
        return verdicts

    def wait_for_backends(self, verdicts: dict[str, str], seconds: float = 60) -> None:
        self.wait_until(
            lambda: {k: v for k, v in self.backends().items() if k in verdicts} == verdicts,
            seconds=seconds,
            what=f"backends never became {verdicts}: {self.backends()}",
        )

    def start(self) -> "Varnish":
        super().start()
        self.wait_until(lambda: request(self.url + "/").status < 500, seconds=60)
        return self

    def stop(self, timeout: float = 30) -> None:
        super().stop(timeout)
        shutil.rmtree(self.folder, ignore_errors=True)


def vcl_for(backends: list[int], probe_interval: str = "1s") -> str:
    """Return the shipped VCL with its example backends replaced by ``backends``.

    The shipped file declares `app1` and `app2` on 127.0.0.1:8000 and 8001; the test
    changes only ports (and the probe's interval, to keep the test short).
    """
    vcl = (ROOT / "deploy" / "varnish" / "masthead.vcl").read_text()
    declared = re.findall(r"backend (app\d+) \{.*?\.port = \"(\d+)\";.*?\n\}", vcl, re.S)
    assert len(declared) >= len(backends), "the VCL declares fewer backends than the test uses"
    for number, (name, shipped) in enumerate(declared):
        if number < len(backends):
            # The probed backend and its unprobed twin (the fallback) alike.
            vcl = vcl.replace(f'.port = "{shipped}";', f'.port = "{backends[number]}";')
        else:  # not started by this test: no probe of a port someone else may use
            for backend in (name, f"{name}_unprobed"):
                vcl = re.sub(rf"backend {backend} \{{.*?\n\}}\n", "", vcl, flags=re.S)
            vcl = vcl.replace(f"    app.add_backend({name});\n", "")
            vcl = vcl.replace(f"    app_unprobed.add_backend({name}_unprobed);\n", "")
    return vcl.replace(".interval = 5s;", f".interval = {probe_interval};")


class Nginx(Process):
    """nginx with deploy/nginx/masthead.conf (TLS with a self-signed certificate)."""

    def __init__(self, backends: list[int], log_dir: Path):
        binary = shutil.which("nginx")
        if binary is None:
            pytest.skip("nginx is not installed")
        self.port = free_port(APP_PORTS)
        self.tls_port = free_port(APP_PORTS)
        self.folder = private_folder("masthead-nginx-")
        self._certificate()
        site = nginx_site_for(backends, self.port, self.tls_port, self.folder)
        (self.folder / "site.conf").write_text(site)
        (self.folder / "nginx.conf").write_text(
            f"""
worker_processes 1;
pid {self.folder}/nginx.pid;
error_log {log_dir}/nginx-error-{self.port}.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {self.folder}/body;
    proxy_temp_path {self.folder}/proxy;
    fastcgi_temp_path {self.folder}/fastcgi;
    uwsgi_temp_path {self.folder}/uwsgi;
    scgi_temp_path {self.folder}/scgi;
    include {self.folder}/site.conf;
}}
"""
        )
        super().__init__(
            f"nginx:{self.port}",
            [binary, "-c", str(self.folder / "nginx.conf"), "-g", "daemon off;"],
            None,
            log_dir / f"nginx-{self.port}.log",
        )

    def _certificate(self) -> None:
        openssl = shutil.which("openssl")
        if openssl is None:
            pytest.skip("openssl is not installed")
        subprocess.run(
            [
                openssl,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                f"/CN={HOST}",
                "-keyout",
                str(self.folder / "key.pem"),
                "-out",
                str(self.folder / "cert.pem"),
            ],
            check=True,
            capture_output=True,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def tls_url(self) -> str:
        return f"https://127.0.0.1:{self.tls_port}"

    def errors(self) -> str:
        log = self.log.parent / f"nginx-error-{self.port}.log"
        return log.read_text(errors="replace") if log.exists() else ""

    @property
    def tls_context(self):
        """Trust this nginx's own certificate (issued to news.example.org, reached by IP)."""
        import ssl

        context = ssl.create_default_context(cafile=str(self.folder / "cert.pem"))
        context.check_hostname = False
        return context

    def start(self) -> "Nginx":
        super().start()
        self.wait_until(lambda: request(self.url + "/", https=False).status < 500, seconds=30)
        return self

    def stop(self, timeout: float = 30) -> None:
        super().stop(timeout)
        shutil.rmtree(self.folder, ignore_errors=True)


def nginx_site_for(backends: list[int], port: int, tls_port: int, folder: Path) -> str:
    """Return deploy/nginx/masthead.conf with ports, certificate and cache folder of the test."""
    site = (ROOT / "deploy" / "nginx" / "masthead.conf").read_text()
    options = re.search(r"\n    server 127\.0\.0\.1:8000 ((?!backup)[^;]*);", site).group(1)
    backup = re.search(r"\n    server 127\.0\.0\.1:8000 (backup[^;]*);", site).group(1)
    servers = "".join(f"    server 127.0.0.1:{p} {options};\n" for p in backends)
    servers += "".join(f"    server 127.0.0.1:{p} {backup};\n" for p in backends)
    site = re.sub(
        r"upstream masthead \{.*?\n\}",
        "upstream masthead {\n" + servers + "    keepalive 16;\n}",
        site,
        flags=re.S,
    )
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{tls_port} ssl http2;")
    site = site.replace("listen [::]:80;", "").replace("listen [::]:443 ssl http2;", "")
    site = site.replace("root /var/www/acme;", f"root {folder}/acme;")
    site = site.replace("/etc/ssl/certs/news.example.org.pem", str(folder / "cert.pem"))
    site = site.replace("/etc/ssl/private/news.example.org.key", str(folder / "key.pem"))
    site = site.replace("/var/cache/nginx/masthead", str(folder / "cache"))
    site = site.replace("/srv/masthead/data", str(folder / "data"))
    return site


@dataclass
class LoadResult:
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)  # connection errors by type
    latencies: list = field(default_factory=list)
    bad: list = field(default_factory=list)  # (status, url, body excerpt) of 5xx answers

    @property
    def total(self) -> int:
        return sum(self.statuses.values()) + sum(self.errors.values())

    def count(self, predicate) -> int:
        return sum(n for status, n in self.statuses.items() if predicate(status))

    def p99(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[int(len(ordered) * 0.99) - 1] if ordered else 0.0


class Load:
    """``clients`` threads requesting ``urls`` in turn until stopped; every answer kept."""

    def __init__(self, urls: list[str], clients: int = 8, **request_kwargs):
        self.urls, self.clients, self.kwargs = urls, clients, request_kwargs
        self.result = LoadResult()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(clients)
        ]

    def _run(self, number: int) -> None:
        turn = number
        while not self._stop.is_set():
            url = self.urls[turn % len(self.urls)]
            if "{n}" in url:
                url = url.replace("{n}", f"{number}-{turn}")
            turn += 1
            started = time.monotonic()
            try:
                answer = request(url, **self.kwargs)
            except OSError as exc:
                with self._lock:
                    self.result.errors[type(exc).__name__] += 1
                time.sleep(0.05)
                continue
            with self._lock:
                self.result.statuses[answer.status] += 1
                self.result.latencies.append(time.monotonic() - started)
                if answer.status >= 500:
                    self.result.bad.append(
                        (answer.status, url, dict(answer.headers), answer.body[:300])
                    )

    def __enter__(self) -> "Load":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(30)


class Site:
    """App servers sharing one database and one Redis, with Varnish or nginx in front.

    The first app server runs the scheduler; the others `--no-scheduler`, as
    docs/deployment.md says. Ports are chosen before anything starts, so the app
    servers know the proxy to purge and the proxy knows its backends.
    """

    def __init__(
        self,
        workdir: Path,
        database: Database,
        redis_url: str | None,
        *,
        proxy: str | None = "varnish",
        servers: int = 2,
        workers: int = 2,
        threads: int = 2,
        every_scheduler: bool = False,
        **extra: str,
    ):
        self.workdir, self.database, self.proxy_kind = workdir, database, proxy
        self.workers, self.threads = workers, threads
        # docs/deployment.md: one scheduler is enough; all of them must still publish once.
        self.every_scheduler = every_scheduler
        self.ports = [free_port(APP_PORTS) for _ in range(servers)]
        self.proxy: Varnish | Nginx | None = None
        if proxy == "varnish":
            self.proxy = Varnish(self.ports, workdir, probe_interval="1s")
        elif proxy == "nginx":
            self.proxy = Nginx(self.ports, workdir)
        self.prefix = f"prodtest-{uuid.uuid4().hex[:8]}"
        self.redis_url = redis_url
        env_extra = {"CACHE_KEY_PREFIX": self.prefix, **extra}
        if redis_url:
            env_extra["REDIS_URL"] = redis_url
        if proxy == "varnish":
            env_extra["MASTHEAD_PURGE_URL"] = self.proxy.url
        self.env = production_env(workdir / "data", database, **env_extra)
        self.apps: list[Process | None] = [None] * servers

    def app_url(self, number: int = 0) -> str:
        return f"http://127.0.0.1:{self.ports[number]}"

    @property
    def url(self) -> str:
        """Where readers go: the proxy (HTTPS for nginx), else the first app server."""
        if isinstance(self.proxy, Nginx):
            return self.proxy.tls_url
        return self.proxy.url if self.proxy else self.app_url(0)

    def start_app(self, number: int) -> Process:
        args = ["--workers", str(self.workers), "--threads", str(self.threads)]
        if number and not self.every_scheduler:
            args.append("--no-scheduler")
        process, _ = app_server(
            self.env, self.workdir, port=self.ports[number], name=f"app{number + 1}", args=args
        )
        self.apps[number] = process
        return process

    def start(self) -> "Site":
        for number in range(len(self.ports)):
            self.start_app(number)
        if self.proxy:
            self.proxy.start()
            if isinstance(self.proxy, Varnish):
                self.proxy.wait_for_backends(
                    {f"app{n + 1}": "healthy" for n in range(len(self.ports))}
                )
        return self

    def manage(self, code: str) -> str:
        """Run Python in `masthead manage shell` against the site, as a third process
        (an editor's command, another server) would."""
        return masthead(self.env, "manage", "shell", "-c", code)

    def logs(self) -> str:
        return "".join(app.output() for app in self.apps if app)

    def stop(self) -> None:
        if self.proxy:
            self.proxy.stop()
        for app in self.apps:
            if app:
                app.stop()
        if self.redis_url:
            with contextlib.suppress(Exception):
                import redis

                client = redis.Redis.from_url(self.redis_url, socket_connect_timeout=2)
                for key in client.scan_iter(f"{self.prefix}*"):
                    client.delete(key)


USER = """
from django.contrib.auth import get_user_model
user = get_user_model().objects.create_user("desk", "desk@example.org", "right-password-9")
user.is_staff = user.is_superuser = True
user.save()
"""


class Editor:
    """Signs in to the admin through a URL as a browser behind HTTPS would (cookies, CSRF
    token, Referer). The cookies are Secure, so they are kept by hand: the test speaks
    plain HTTP to the proxy, with the header a TLS terminator adds."""

    def __init__(self, base: str, forwarded_for: str = "", **request_kwargs):
        self.base, self.request_kwargs = base, request_kwargs
        self.cookies: dict[str, str] = {}
        # The reader's address as a TLS terminator in front of the proxy would pass it.
        self.forwarded_for = forwarded_for

    def _send(self, method: str, data: bytes | None = None) -> tuple[int, str]:
        headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if data is not None:
            headers.update(Referer=f"https://{HOST}/admin/login/", Origin=f"https://{HOST}")
        answer = request(
            self.base + "/admin/login/",
            method=method,
            headers=headers,
            data=data,
            **self.request_kwargs,
        )
        for line in answer.raw_cookies:
            name, _, rest = line.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return answer.status, answer.body

    def sign_in(self, password: str) -> str:
        """Return "in", "refused" or "locked"."""
        status, page = self._send("GET")
        assert status == 200, status
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": "desk", "password": password}
        ).encode()
        status, body = self._send("POST", data)
        assert status in (200, 302), (status, body[:500])  # never a 403 (CSRF) or a 5xx
        if status == 302:
            return "in"
        return "locked" if "Too many failed sign-ins" in body else "refused"
