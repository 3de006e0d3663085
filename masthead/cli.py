"""The `masthead` command: run the demo, serve in production, or run a management command."""

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_PORT = 8000
# Request threads per worker: masthead.settings.env.DEFAULT_THREADS (not imported here,
# so that `masthead --help` loads no Django).
DEFAULT_THREADS = 4
SERVERS = ("granian", "gunicorn")
# Chosen by measurement (docs/performance.md, "Server choice"): granian answers cached
# pages at its bare-app rate, about 7x gunicorn's sync workers, and renders faster too.
DEFAULT_SERVER = "granian"


def _server_from_environment() -> str:
    return _checked_server(os.environ.get("MASTHEAD_SERVER", "").strip() or DEFAULT_SERVER)


def _checked_server(server: str) -> str:
    # argparse does not check a default (taken from MASTHEAD_SERVER) against its choices.
    if server not in SERVERS:
        raise CliError(
            f"Unknown server {server!r} (from MASTHEAD_SERVER): choose granian or gunicorn."
        )
    return server


DEMO_USERNAME = "editor"


class CliError(Exception):
    """A problem the person at the terminal can fix; printed without a traceback."""


def _check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CliError(
                f"Port {port} on {host} is already in use ({exc.strerror}). Stop the program "
                f"using it, or choose another port with --port."
            ) from None


def _prepare_data_dir(path: str) -> Path:
    from django.core.exceptions import ImproperlyConfigured

    from masthead.settings.env import ensure_writable_dir

    folder = Path(path).expanduser().resolve()
    try:
        ensure_writable_dir(folder, "data")
    except ImproperlyConfigured as exc:
        raise CliError(str(exc)) from None
    return folder


def _setup_django(settings_module: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise CliError(f"Configuration error: {exc}") from None


# One account per role; the first is the one the README's walkthrough uses.
DEMO_ACCOUNTS = (
    (DEMO_USERNAME, "Editors", "Demo", "Editor"),
    ("contributor", "Contributors", "Demo", "Contributor"),
    ("admin", "Administrators", "Demo", "Administrator"),
)


def _read_demo_logins(login_file: Path) -> dict[str, str]:
    logins = {}
    if login_file.exists():
        for line in login_file.read_text().splitlines():
            name, _, password = line.strip().partition(":")
            if name and password:
                logins[name] = password
    return logins


def _ensure_demo_accounts(data_dir: Path) -> list[tuple[str, str, str]]:
    """Return ``(username, role, password)`` for each demo account, creating them once.

    The editor and contributor are ordinary members of their role's group, so the demo
    shows what each role may do; the administrator is also a superuser. An older demo
    folder whose "editor" was a superuser gets it demoted to a plain editor.
    """
    from django.contrib.auth import get_user_model

    from masthead.accounts.roles import ADMINISTRATORS, give_role

    login_file = data_dir / "demo-login.txt"
    logins = _read_demo_logins(login_file)
    user_model = get_user_model()
    accounts = []
    for username, role, first_name, last_name in DEMO_ACCOUNTS:
        user = user_model.objects.filter(username=username).first()
        password = logins.get(username)
        if user is None:
            user = user_model(username=username, email=f"{username}@example.org")
        if password is None or not user.check_password(password):
            password = secrets.token_urlsafe(12)
            user.set_password(password)
        user.first_name, user.last_name = first_name, last_name
        user.is_superuser = user.is_staff = role == ADMINISTRATORS
        user.is_active = True
        user.save()
        give_role(user, role)
        accounts.append((username, role, password))
    fd = os.open(login_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.writelines(f"{name}:{password}\n" for name, _, password in accounts)
    return accounts


def _collectstatic() -> None:
    """Collect static files, one process at a time: several servers may share a folder."""
    import fcntl

    from django.conf import settings
    from django.core.management import call_command

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    with open(Path(settings.STATIC_ROOT).parent / ".collectstatic.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        call_command("collectstatic", interactive=False, verbosity=0)


def _prepare_site(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)
    _collectstatic()


def _start_scheduler() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "masthead.cli", "scheduler"], env=os.environ.copy()
    )


def _start_worker() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "masthead.cli", "worker"], env=os.environ.copy())


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()


def _close_database() -> None:
    """Close this process's connections and pool: workers open their own, none shared."""
    from django.db import connections

    connections.close_all()
    for connection in connections.all(initialized_only=True):
        if hasattr(connection, "close_pool"):
            connection.close_pool()


def _serve(host: str, port: int, workers: int, access_log: bool, threads: int = 1) -> None:
    """Run gunicorn in this process until it is stopped (Ctrl-C or SIGTERM)."""
    from gunicorn.app.base import BaseApplication

    _close_database()

    class MastheadServer(BaseApplication):
        def load_config(self):
            options = {
                "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
                "workers": workers,
                "worker_class": "sync",
                "timeout": 30,
                "graceful_timeout": 5,
                "keepalive": 5,
                "control_socket_disable": True,
                "accesslog": "-" if access_log else None,
                "errorlog": "-",
                "loglevel": "warning",
                "proc_name": "masthead",
                # Load Django once in the master: workers start at once and share memory.
                "preload_app": True,
                "post_worker_init": _graceful_interrupt,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            from masthead.wsgi import application

            return application

        def run(self):
            from gunicorn.arbiter import Arbiter

            class GracefulArbiter(Arbiter):
                # gunicorn's Ctrl-C is a quick shutdown that kills workers mid-response;
                # stop the way SIGTERM does instead: finish the requests in flight.
                def handle_int(self):
                    self.handle_term()

            try:
                GracefulArbiter(self).run()
            except RuntimeError as exc:
                raise CliError(f"The server could not start: {exc}") from None

    MastheadServer().run()


def _serve_granian(
    host: str, port: int, workers: int, access_log: bool, threads: int = DEFAULT_THREADS
) -> None:
    """Run granian's WSGI server until it is stopped; it finishes requests in flight.

    ``threads`` request threads per worker, no more: granian's own default grows to
    hundreds, each of which could hold a database connection (masthead.serving).
    """
    try:
        from granian import Granian
        from granian.constants import Interfaces
        from granian.log import LogLevels
    except ImportError:
        raise CliError(
            "The granian server is not installed: pip install 'masthead[granian]'."
        ) from None
    _close_database()
    Granian(
        "masthead.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        log_access=access_log,
        log_level=LogLevels.warning,
        respawn_failed_workers=True,
        workers_kill_timeout=5,
    ).serve()


def _graceful_interrupt(worker) -> None:
    """Make Ctrl-C stop a worker after its current request instead of in the middle of it.

    A terminal sends SIGINT to every process of the server; gunicorn's workers would
    otherwise exit mid-response and log a traceback.
    """
    signal.signal(signal.SIGINT, worker.handle_exit)
    signal.siginterrupt(signal.SIGINT, False)


def _default_workers() -> int:
    from masthead.settings.env import env_int

    return env_int("WEB_CONCURRENCY", min(2 * (os.cpu_count() or 1) + 1, 8))


def _init_demo_site() -> None:
    """Build the demo's site as `masthead init` builds a newsroom's: same code, same result."""
    from django.conf import settings

    from masthead import initialise
    from masthead.core.site_address import normalise
    from masthead.demo import world

    options = initialise.Options(
        name=world.PUBLICATION,
        base_url=normalise(os.environ["MASTHEAD_BASE_URL"]),
        sections=[title for _slug, title, _description in world.SECTIONS],
        language=settings.LANGUAGE_CODE,
        time_zone=settings.TIME_ZONE,
        force=True,  # the demo's own stories are there from the second run on
    )
    initialise.build_site(options, with_admin=False)


def cmd_demo(args: argparse.Namespace) -> int:
    started = time.monotonic()
    server = _server_from_environment()
    _check_port_free(args.host, args.port)
    data_dir = _prepare_data_dir(args.data)
    os.environ["MASTHEAD_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "masthead.settings.demo"
    os.environ.setdefault("MASTHEAD_BASE_URL", f"http://{args.host}:{args.port}")
    _setup_django("masthead.settings.demo")
    print(f"Preparing the demo newsroom in {data_dir} ...", flush=True)
    _prepare_site()
    _init_demo_site()
    from masthead.demo.seed import seed, text_progress

    counts = seed(progress=text_progress)
    accounts = _ensure_demo_accounts(data_dir)
    logins = "".join(
        f"  Login:  {name} / {password}   ({role.lower().rstrip('s')})\n"
        for name, role, password in accounts
    )
    base = f"http://{args.host}:{args.port}"
    print(
        f"\nReady in {time.monotonic() - started:.0f}s: {counts['stories_live']} live stories "
        f"({counts['stories_created']} new), "
        f"{counts['sections']} sections, {counts['topics']} topics, {counts['authors']} authors.\n"
        f"  Site:   {base}/\n"
        f"  Admin:  {base}/admin/\n"
        f"{logins}"
        f"  (logins kept in {data_dir / 'demo-login.txt'})\n"
        f"Press Ctrl-C to stop.\n",
        flush=True,
    )
    return _run_server(
        args.host,
        args.port,
        args.workers or _default_workers(),
        access_log=False,
        server=server,
    )


def _run_server(
    host: str,
    port: int,
    workers: int,
    access_log: bool,
    scheduler: bool = True,
    server: str = DEFAULT_SERVER,
    worker: bool = True,
    threads: int = DEFAULT_THREADS,
) -> int:
    process = _start_scheduler() if scheduler else None
    # The one background worker (newsletters, webhooks: docs/background.md).
    background = _start_worker() if worker else None
    try:
        (_serve_granian if server == "granian" else _serve)(
            host, port, workers, access_log, threads
        )
    except SystemExit as exc:
        return int(exc.code or 0)
    except KeyboardInterrupt:
        return 0
    finally:
        _stop(background)
        _stop(process)
    return 0


def _use_data_dir(path: str | None) -> None:
    """Create (or check) the data folder named by --data or MASTHEAD_DATA_DIR."""
    folder = path or os.environ.get("MASTHEAD_DATA_DIR") or "masthead-data"
    os.environ["MASTHEAD_DATA_DIR"] = str(_prepare_data_dir(folder))


def _refuse_open_modes() -> None:
    """Stop when the data folder (or a media folder elsewhere) is open to other users."""
    from masthead.core.file_modes import open_to_others, refusal_message

    data_dir = Path(os.environ["MASTHEAD_DATA_DIR"])
    extra = [Path(os.environ["MEDIA_ROOT"])] if os.environ.get("MEDIA_ROOT") else []
    found = open_to_others(data_dir, extra)
    if found:
        raise CliError(refusal_message(found, data_dir))


def _ask(prompt: str) -> str:
    if not sys.stdin.isatty():
        return ""
    try:
        return input(prompt).strip()
    except EOFError:
        return ""


def cmd_init(args: argparse.Namespace) -> int:
    from django.core.exceptions import ImproperlyConfigured

    from masthead import initialise
    from masthead.settings import env

    folder = Path(args.data or os.environ.get("MASTHEAD_DATA_DIR") or "masthead-data")
    folder = folder.expanduser().resolve()
    try:
        initialise.check_data_dir(folder)
        # A second run takes the first run's values as its defaults (site.env).
        env.load_site_file(folder)
        name = args.name or os.environ.get("MASTHEAD_SITE_NAME") or _ask("Publication name: ")
        admin_email = args.admin_email or ""
        options = initialise.check_options(
            name=name,
            base_url=args.base_url or os.environ.get("MASTHEAD_BASE_URL"),
            sections=args.sections,
            language=args.language or os.environ.get("MASTHEAD_LANGUAGE") or "en",
            time_zone=args.time_zone or os.environ.get("TIME_ZONE") or "UTC",
            admin_email=admin_email,
            admin_username=args.admin_name or "",
            password_file=args.password_file,
            force=args.force,
        )
    except (initialise.InitError, ImproperlyConfigured) as exc:
        raise CliError(str(exc)) from None
    folder = _prepare_data_dir(str(folder))
    os.environ["MASTHEAD_DATA_DIR"] = str(folder)
    values = initialise.site_values(options)
    os.environ.update(values)
    _setup_django("masthead.settings.demo")
    from django.core.management import call_command

    try:
        initialise.check_password(options)
        print(f"Preparing the database of {options.name} ...", flush=True)
        call_command("migrate", interactive=False, verbosity=0)
        if not options.admin_email:
            from django.contrib.auth import get_user_model

            if not get_user_model().objects.filter(is_superuser=True).exists():
                options.admin_email = _ask("E-mail of the first administrator: ")
        outcome = initialise.build_site(options)
    except initialise.InitError as exc:
        raise CliError(str(exc)) from None
    if initialise.write_site_file(folder, values):
        outcome.changes.append(
            f"recorded name, address, language and time zone in {folder / 'site.env'}"
        )
    base = options.base_url
    if not outcome.changes:
        print(f"Nothing to change: {options.name} is already set up in {folder}.")
    else:
        print("Done:\n" + "".join(f"  - {change}\n" for change in outcome.changes), end="")
    print(f"  Site:   {base}/\n  Admin:  {base}/admin/   (administrator: {outcome.admin})")
    if outcome.password:
        print(f"  Password for {outcome.admin}: {outcome.password}   (shown once: keep it now)")
    print(
        "Next: write an About page and a story in the admin, or bring an archive with "
        "`masthead import wordpress EXPORT.xml`; serve with `masthead serve` "
        "(docs/newsroom.md).",
        flush=True,
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _checked_server(args.server)
    _use_data_dir(args.data)
    _refuse_open_modes()
    _check_port_free(args.host, args.port)
    workers = args.workers or _default_workers()
    # gunicorn's sync workers answer one request at a time: one thread, one connection.
    threads = 1 if args.server == "gunicorn" else _threads(args.threads)
    # Settings (and each worker process, which reads them afresh) size their pool from it.
    os.environ["MASTHEAD_THREADS"] = str(threads)
    _setup_django("masthead.settings.production")
    from django.core.management import call_command

    from masthead.serving import CapacityError, check_capacity

    if args.migrate:
        call_command("migrate", interactive=False, verbosity=1)
    from masthead.core.checks import address_problems
    from masthead.core.site_address import base_url

    problems = address_problems()
    if problems:
        raise CliError(" ".join(problems))
    # Workers, the scheduler and the admin's links take the address the checks saw.
    os.environ["MASTHEAD_BASE_URL"] = base_url()
    _collectstatic()
    try:
        print(
            check_capacity(
                workers, threads, scheduler=not args.no_scheduler, background=not args.no_worker
            ),
            flush=True,
        )
    except CapacityError as exc:
        raise CliError(str(exc)) from None
    print(f"Masthead serving on http://{args.host}:{args.port}/", flush=True)
    return _run_server(
        args.host,
        args.port,
        workers,
        access_log=True,
        scheduler=not args.no_scheduler,
        server=args.server,
        worker=not args.no_worker,
        threads=threads,
    )


def _threads(given: int) -> int:
    from django.core.exceptions import ImproperlyConfigured

    from masthead.serving import CapacityError, threads_from_environment

    if given:
        if given < 1:
            raise CliError(f"--threads {given} must be 1 or more.")
        return given
    try:
        return threads_from_environment()
    except (CapacityError, ImproperlyConfigured) as exc:
        raise CliError(str(exc)) from None


def cmd_scheduler(args: argparse.Namespace) -> int:
    # One loop, one thread: a pool of one connection (masthead.serving counts it as 1).
    os.environ["MASTHEAD_THREADS"] = "1"
    _setup_django("masthead.settings.production")
    from django.conf import settings

    from masthead.operations.scheduler import run_forever

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    run_forever(settings.MASTHEAD_SCHEDULER_INTERVAL)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from masthead.serving import BACKGROUND_CONNECTIONS

    # Its loop and its heartbeat thread: a pool of two (what masthead.serving counts).
    os.environ["MASTHEAD_THREADS"] = str(BACKGROUND_CONNECTIONS)
    _setup_django("masthead.settings.production")
    from django.conf import settings

    from masthead.background import worker

    worker.install_signal_handlers()
    done = worker.run(interval=settings.MASTHEAD_WORKER_INTERVAL, once=args.once)
    if args.once:
        print(f"{done} task(s) run.", flush=True)
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _use_data_dir(args.data)
    _setup_django("masthead.settings.demo")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["masthead manage", *args.arguments])
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    _use_data_dir(args.data)
    _setup_django(os.environ.get("DJANGO_SETTINGS_MODULE", "masthead.settings.demo"))
    from masthead.editorial.command import CheckError, main

    try:
        output, status = main(args.target, args.json)
    except CheckError as exc:
        raise CliError(str(exc)) from None
    print(output)
    return status


def cmd_import(args: argparse.Namespace) -> int:
    _use_data_dir(args.data)
    _setup_django("masthead.settings.demo")
    from masthead.imports.cli import run
    from masthead.imports.errors import ImportFileError

    try:
        return run(args)
    except ImportFileError as exc:
        raise CliError(str(exc)) from None


def cmd_backup(args: argparse.Namespace) -> int:
    _use_data_dir(args.data)
    _setup_django(os.environ.get("DJANGO_SETTINGS_MODULE", "masthead.settings.demo"))
    from masthead.operations.backup import BackupError, create_backup

    stamp = time.strftime("%Y%m%d-%H%M%S")
    output = Path(args.output or f"masthead-backup-{stamp}.tar.gz")
    try:
        create_backup(output, progress=lambda line: print(line, flush=True))
    except BackupError as exc:
        raise CliError(str(exc)) from None
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    _use_data_dir(args.data)
    _setup_django(os.environ.get("DJANGO_SETTINGS_MODULE", "masthead.settings.demo"))
    from masthead.operations.backup import BackupError, restore_backup

    try:
        restore_backup(Path(args.file), force=args.force, progress=lambda m: print(m, flush=True))
    except BackupError as exc:
        raise CliError(str(exc)) from None
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="masthead", description="Masthead: a news publishing platform for small newsrooms."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="Create the demo newsroom and serve it on 127.0.0.1.")
    demo.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="Port to serve on (default 8000)."
    )
    demo.add_argument(
        "--host", default="127.0.0.1", help="Address to serve on (default 127.0.0.1)."
    )
    demo.add_argument(
        "--data", default="masthead-data", help="Data folder (default ./masthead-data)."
    )
    demo.add_argument("--workers", type=int, default=0, help="Server worker processes.")
    demo.set_defaults(func=cmd_demo)

    init = sub.add_parser("init", help="Create an empty newsroom of your own (no demo content).")
    init.add_argument("--data", default=None, help="Data folder (default $MASTHEAD_DATA_DIR).")
    init.add_argument(
        "--base-url", default=None, help="Public address, e.g. https://news.example.org."
    )
    init.add_argument("--name", default=None, help="Publication name.")
    init.add_argument(
        "--sections", default=None, help='Sections, comma-separated (default "News").'
    )
    init.add_argument("--language", default=None, help="Language code (default en).")
    init.add_argument("--time-zone", default=None, help="Time zone (default UTC).")
    init.add_argument("--admin-email", default=None, help="E-mail of the first administrator.")
    init.add_argument("--admin-name", default=None, help="User name of the first administrator.")
    init.add_argument(
        "--password-file", default=None, help="File holding the administrator's password."
    )
    init.add_argument(
        "--force", action="store_true", help="Add what is missing to a site with stories."
    )
    init.set_defaults(func=cmd_init)

    serve = sub.add_parser("serve", help="Serve the site with settings from the environment.")
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", DEFAULT_PORT)))
    serve.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    serve.add_argument("--data", default=None, help="Data folder (default $MASTHEAD_DATA_DIR).")
    serve.add_argument(
        "--workers", type=int, default=0, help="Worker processes ($WEB_CONCURRENCY)."
    )
    serve.add_argument(
        "--threads",
        type=int,
        default=0,
        help="Request threads per worker, each with at most one database connection "
        "($MASTHEAD_THREADS, default 4; 1 with gunicorn).",
    )
    serve.add_argument("--migrate", action="store_true", help="Apply database migrations first.")
    serve.add_argument(
        "--no-scheduler",
        action="store_true",
        help="Do not publish scheduled stories from this process.",
    )
    serve.add_argument(
        "--no-worker",
        action="store_true",
        help="Do not run the background worker (newsletters, webhooks) from this process.",
    )
    serve.add_argument(
        "--server",
        choices=SERVERS,
        default=os.environ.get("MASTHEAD_SERVER", "").strip() or DEFAULT_SERVER,
        help="HTTP server: granian (default) or gunicorn ($MASTHEAD_SERVER); see docs/performance.md.",
    )
    serve.set_defaults(func=cmd_serve)

    scheduler = sub.add_parser("scheduler", help="Only publish scheduled stories, in a loop.")
    scheduler.set_defaults(func=cmd_scheduler)

    worker = sub.add_parser(
        "worker", help="Only run the background worker (newsletters, webhooks), in a loop."
    )
    worker.add_argument("--once", action="store_true", help="Run what is queued now, then exit.")
    worker.set_defaults(func=cmd_worker)

    check = sub.add_parser(
        "check",
        help="Run the editorial checks on a text/HTML file or a published story (URL or path).",
    )
    check.add_argument("target", metavar="FILE_OR_URL")
    check.add_argument("--json", action="store_true", help="Print the findings as JSON.")
    check.add_argument("--data", default=None, help="Data folder (default $MASTHEAD_DATA_DIR).")
    check.set_defaults(func=cmd_check)

    manage = sub.add_parser("manage", help="Run a Django management command.", add_help=False)
    manage.add_argument("--data", default=None, help=argparse.SUPPRESS)
    manage.add_argument("arguments", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)

    from masthead.imports.cli import add_arguments as add_import_arguments

    importer = sub.add_parser("import", help="Import stories from a WordPress export or a feed.")
    importer.add_argument("--data", default=None, help="Data folder (default $MASTHEAD_DATA_DIR).")
    add_import_arguments(importer)
    importer.set_defaults(func=cmd_import)

    backup = sub.add_parser("backup", help="Write the database and media to one archive.")
    backup.add_argument(
        "--output", "-o", default=None, help="Archive file (default masthead-backup-DATE.tar.gz)."
    )
    backup.add_argument("--data", default=None, help="Data folder (default $MASTHEAD_DATA_DIR).")
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser("restore", help="Rebuild the site from a backup archive.")
    restore.add_argument("file", metavar="FILE")
    restore.add_argument(
        "--force", action="store_true", help="Replace a site that already has content."
    )
    restore.add_argument("--data", default=None, help="Data folder (default $MASTHEAD_DATA_DIR).")
    restore.set_defaults(func=cmd_restore)
    return parser


def main(argv: list[str] | None = None) -> int:
    from masthead.core.file_modes import use_private_umask

    # The database, its -wal/-shm files, caches and backups: private to this user.
    use_private_umask()
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CliError as exc:
        print(f"masthead: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # Ctrl-C is how a person stops the demo; it is not an error.
        return 0


if __name__ == "__main__":
    sys.exit(main())
