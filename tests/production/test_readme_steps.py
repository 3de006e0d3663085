"""The README's production steps, run as written on a fresh PostgreSQL database and a
Redis of the test's own: only the paths, the secrets, the database and Redis
addresses and the port are changed, and the two install lines are left out (the
test runs in this checkout's own environment, and nothing is downloaded)."""

import re
import shlex
import sys
from pathlib import Path

import pytest

from .servers import APP_PORTS, Process, RedisServer, clean_env, free_port, request

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.faults]

README = Path(__file__).resolve().parents[2] / "README.md"


def production_block() -> str:
    text = README.read_text()
    section = text.split("## Running it in production", 1)[1]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


def script_for(block: str, *, root: Path, database_url: str, redis_url: str, port: int) -> str:
    lines = block.splitlines()
    installs = [line for line in lines if "python3 -m venv" in line or "pip install" in line]
    assert len(installs) == 2, installs
    masthead = f"{shlex.quote(sys.executable)} -m masthead.cli"
    script = "\n".join(line for line in lines if line not in installs)
    script = script.replace("/srv/masthead/venv/bin/masthead", masthead)
    script = script.replace("/srv/masthead", str(root))
    script = re.sub(r"^SECRET_KEY=.*$", "SECRET_KEY=" + "r" * 60, script, flags=re.M)
    script = re.sub(r"^DATABASE_URL=.*$", f"DATABASE_URL={database_url}", script, flags=re.M)
    script = re.sub(r"^REDIS_URL=.*$", f"REDIS_URL={redis_url}", script, flags=re.M)
    serve = re.search(r"^.*masthead\.cli serve .*--port 8000$", script, re.M)
    assert serve, "the steps end by serving on port 8000"
    script = script.replace(serve.group(0), "exec " + serve.group(0).replace("8000", str(port)))
    return "set -eu\nmkdir -p " + shlex.quote(str(root)) + "\n" + script + "\n"


def test_readme_production_steps_run_as_written(database, workdir):
    redis_server = RedisServer(workdir).start()
    port = free_port(APP_PORTS)
    root = workdir / "srv"
    (workdir / "steps.sh").write_text(
        script_for(
            production_block(),
            root=root,
            database_url=database.url,
            redis_url=redis_server.url,
            port=port,
        )
    )
    steps = Process(
        "readme", ["bash", str(workdir / "steps.sh")], clean_env(), workdir / "steps.log"
    ).start()
    base = f"http://127.0.0.1:{port}"
    try:
        steps.wait_until(lambda: request(base + "/").status == 200, seconds=400)
        output = steps.output()
        assert "Traceback" not in output, output[-3000:]
        assert "Password for" in output  # the first administrator, shown once
        assert "Database connections: up to" in output
        home = request(base + "/")
        assert "Harbour Times" in home.body
        assert "Meridian" not in home.body
        for section in ("/news/", "/analysis/"):
            assert request(base + section).status == 200, section
        feed = request(base + "/feeds/rss/")
        assert feed.status == 200 and "<title>Harbour Times" in feed.body
        assert request(base + "/admin/login/").status == 200
        # Plain HTTP is sent to HTTPS, on the site's own address.
        plain = request(base + "/", https=False)
        assert plain.status == 301
        assert plain.headers["location"] == "https://news.example.org/"
    finally:
        steps.stop()
        redis_server.stop()
