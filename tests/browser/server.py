"""Serve a seeded Masthead site for the browser tests, in a process of its own.

    python -m tests.browser.server --data DIR --port N --site newsroom|hostile [--migrate]

The database file ``DIR/site.sqlite3`` is normally a copy of the suite's already
migrated test database (see ``conftest.py``); ``--migrate`` builds it from scratch
instead. The site is seeded, then one line ``READY {json}`` on standard output tells
the test process what was made; progress and errors go to standard error.
"""

import argparse
import json
import os
import sys
import time


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--site", choices=["newsroom", "hostile"], required=True)
    parser.add_argument("--migrate", action="store_true")
    args = parser.parse_args(argv)

    base_url = f"http://127.0.0.1:{args.port}"
    os.environ["MASTHEAD_BROWSER_DATA"] = args.data
    os.environ["MASTHEAD_BROWSER_BASE_URL"] = base_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.browser.settings"
    import django

    django.setup()
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.management import call_command
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    from . import sites

    started = time.monotonic()
    if args.migrate:
        _progress("migrating a fresh database")
        call_command("migrate", verbosity=0, interactive=False)
    _progress(f"seeding the {args.site} site")
    info = sites.SEEDERS[args.site](base_url, _progress)
    info["seconds"] = round(time.monotonic() - started, 1)

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):  # one line per request would drown the log
            pass

    server = ThreadedWSGIServer(("127.0.0.1", args.port), QuietHandler)
    server.daemon_threads = True
    server.set_app(StaticFilesHandler(get_wsgi_application()))
    sys.stdout.write("READY " + json.dumps(info) + "\n")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _progress(message: str) -> None:
    sys.stderr.write(f"[browser-server] {message}\n")
    sys.stderr.flush()


if __name__ == "__main__":
    main()
