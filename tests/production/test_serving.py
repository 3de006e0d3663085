"""Bounded concurrency: `masthead serve` keeps workers x threads database connections at
most, checks that they fit at start-up, and answers 503 with Retry-After, never a
traceback, when no connection can be had."""

import subprocess
import time

import pytest

from masthead.serving import CapacityError, DatabaseCapacity, check_capacity
from masthead.settings import env as settings_env

from .servers import (
    APP_PORTS,
    MASTHEAD,
    ConnectionSampler,
    Load,
    app_server,
    free_port,
    production_env,
    request,
)


def test_pooled_settings_keep_one_pool_per_worker_and_no_persistent_connections():
    config = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "x",
        "CONN_MAX_AGE": 600,
        "OPTIONS": {},
    }
    pooled = settings_env.pooled(config, size=3, wait=2)
    assert pooled["CONN_MAX_AGE"] == 0
    assert pooled["OPTIONS"]["pool"]["max_size"] == 3
    assert pooled["OPTIONS"]["pool"]["timeout"] == 2
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": "x"}
    assert settings_env.pooled(sqlite, size=3, wait=2) == sqlite


def test_capacity_check_refuses_a_server_that_would_exhaust_the_database(monkeypatch):
    monkeypatch.setattr("masthead.serving.read_capacity", lambda: DatabaseCapacity(100, 3, 80))
    # 17 left: 4 workers x 4 threads + 1 scheduler fits exactly, one more worker does not.
    assert "up to 17" in check_capacity(4, 4, scheduler=True)
    with pytest.raises(CapacityError) as refused:
        check_capacity(5, 4, scheduler=True)
    message = str(refused.value)
    assert "21 database connections" in message and "17 left" in message
    # The background worker (newsletters, webhooks) holds two: its loop and its heartbeat.
    with pytest.raises(CapacityError) as refused:
        check_capacity(4, 4, scheduler=True, background=True)
    assert "19 database connections" in str(refused.value)
    assert "+ 2 for the background worker" in str(refused.value)
    assert "pgbouncer" in message


def _serve(env, *args):
    return subprocess.run(
        [*MASTHEAD, "serve", "--port", str(free_port(APP_PORTS)), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.postgres
def test_serve_refuses_to_start_past_max_connections(database, workdir):
    env = production_env(workdir / "data", database)
    done = _serve(env, "--workers", "2", "--threads", "60")
    assert done.returncode == 2, done.stderr[-2000:]
    assert "123 database connections" in done.stderr
    assert "max_connections" in done.stderr
    assert "Traceback" not in done.stderr
    # Behind pgbouncer the declared limit counts instead.
    env["MASTHEAD_DB_MAX_CONNECTIONS"] = "8"
    done = _serve(env, "--workers", "2", "--threads", "4")
    assert done.returncode == 2 and "MASTHEAD_DB_MAX_CONNECTIONS=8" in done.stderr


@pytest.mark.slow
@pytest.mark.faults
@pytest.mark.postgres
def test_connections_stay_within_workers_times_threads_under_load(newsroom_db, workdir):
    env = production_env(workdir / "data", newsroom_db, MASTHEAD_PAGE_CACHE="0")
    server, port = app_server(
        env, workdir, args=("--workers", "2", "--threads", "3", "--no-scheduler")
    )
    try:
        # The background worker (newsletters, webhooks) runs beside them with two more.
        assert "up to 8 (2 workers x 3 threads + 2 for the background worker)" in server.output()
        base = f"http://127.0.0.1:{port}"
        sampler = ConnectionSampler(newsroom_db)
        sampler.start()
        with Load(
            [f"{base}/search/?q=harbour", f"{base}/news/harbour-1/", f"{base}/"], clients=30
        ) as load:
            time.sleep(8)
        peak = sampler.stop()
        result = load.result
        assert result.statuses[200] > 50, result.statuses
        assert peak <= 8, (
            f"{peak} connections for 2 workers x 3 threads + 2 for the background worker"
        )
        # Readers waited instead of failing: no error at all at this load.
        assert set(result.statuses) == {200}, (result.statuses, result.bad[:3])
        assert "Traceback" not in server.output()
    finally:
        server.stop()
    # Connections go with the server's pools, none left behind.
    assert newsroom_db.connections() == 0


@pytest.mark.slow
@pytest.mark.faults
@pytest.mark.postgres
def test_no_connection_to_be_had_answers_503_with_retry_after_and_logs_once(newsroom_db, workdir):
    env = production_env(
        workdir / "data", newsroom_db, MASTHEAD_PAGE_CACHE="0", MASTHEAD_DB_WAIT_SECONDS="1"
    )
    server, port = app_server(
        env, workdir, args=("--workers", "1", "--threads", "2", "--no-scheduler")
    )
    try:
        base = f"http://127.0.0.1:{port}"
        assert request(f"{base}/news/harbour-1/").status == 200
        # The database refuses every new connection, as one past max_connections does,
        # and the pooled ones are gone (as after a restart).
        newsroom_db.set_connection_limit(0)
        newsroom_db.terminate()
        answers = [request(f"{base}/news/harbour-{n % 3}/") for n in range(8)]
        assert {a.status for a in answers} == {503}, [a.status for a in answers]
        for answer in answers:
            assert answer.headers["retry-after"].isdigit()
            assert "no-store" in answer.headers["cache-control"]
            assert "Back in a moment" in answer.body
            assert "Traceback" not in answer.body and "Operational" not in answer.body
        newsroom_db.set_connection_limit(-1)
        deadline = time.monotonic() + 30
        while request(f"{base}/news/harbour-1/").status != 200:
            assert time.monotonic() < deadline, "the server did not recover"
            time.sleep(0.5)
    finally:
        newsroom_db.set_connection_limit(-1)
        server.stop()
    log = server.output()
    assert "Traceback" not in log
    assert log.count("The database unavailable") == 1, log[-3000:]
    assert log.count("The database available again") == 1, log[-3000:]
