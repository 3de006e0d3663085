"""A process killed (SIGKILL) in the middle of a publish or an import leaves a
consistent database, and running the same command again finishes the work.

The process is stopped at a point inside the publish transaction named by
``MASTHEAD_CRASH_AT`` (see ``masthead.compat.publishing``), after every receiver has
written its rows, so a publish without a transaction would already have left the story
live. These tests are slow (a migrated site on disk) and few.
"""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .test_backup import _run

pytestmark = [pytest.mark.slow, pytest.mark.faults]
WORDPRESS = Path(__file__).parents[2] / "imports" / "tests" / "data" / "newsroom-1.2.xml"


def _killed_at(point: str, args: list[str], data: Path, skip: int = 0) -> None:
    """Run ``args`` until it reaches ``point``, then SIGKILL it."""
    env = {
        **os.environ,
        "MASTHEAD_DATA_DIR": str(data),
        "ALLOWED_HOSTS": "testserver",
        "DJANGO_SETTINGS_MODULE": "masthead.settings.demo",
        "MASTHEAD_CRASH_AT": point,
        "MASTHEAD_CRASH_SKIP": str(skip),
    }
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    lines = []
    try:
        for raw in process.stderr:
            lines.append(raw.decode(errors="replace"))
            if raw.startswith(b"masthead-crash-point"):
                break
        else:
            pytest.fail(f"{args} never reached {point}: {''.join(lines)[-2000:]}")
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


def _state(data: Path, slug: str) -> dict:
    result = _run(["-m", "masthead.operations.tests.crash_site", "state", slug], data)
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("crash-site")
    _run(["-m", "masthead.operations.tests.site_copy", "build"], data)
    return data


def test_scheduled_publish_killed_before_commit_is_undone_and_finishes_on_rerun(site):
    _run(["-m", "masthead.operations.tests.crash_site", "schedule", "draft-story"], site)
    before = _state(site, "draft-story")
    assert not before["live"]
    assert before["related_index"] == before["related"] == 0
    _killed_at("publish-commit", ["-m", "masthead.cli", "manage", "publish_scheduled"], site)

    # Every receiver had written its rows when the process died; none of them survive.
    after_kill = _state(site, "draft-story")
    assert after_kill == before
    assert after_kill["integrity"] == "ok"
    assert after_kill["live_revision"] is None
    assert after_kill["waiting"] == 1  # still scheduled: the next pass will publish it

    _run(["-m", "masthead.cli", "manage", "publish_scheduled"], site)
    finished = _state(site, "draft-story")
    assert finished["live"]
    assert finished["live_revision"] is not None
    assert finished["related_index"] == 1
    assert finished["related"] > 0
    assert finished["waiting"] == 0


def test_import_killed_mid_story_keeps_whole_stories_and_finishes_on_rerun(site, tmp_path):
    command = [
        "-m",
        "masthead.cli",
        "import",
        "wordpress",
        str(WORDPRESS),
        "--quiet",
        "--no-download",
        "--batch",
        "3",
    ]
    # The first batch of three commits; the process dies inside the second.
    _killed_at("import-batch", command, site, skip=1)

    after_kill = _state(site, "story-1")
    assert after_kill["integrity"] == "ok"
    # Three stories committed; the second batch, killed before its commit, left nothing.
    assert after_kill["import_records"] == after_kill["imported_pages"] == 3
    assert after_kill["imported_without_revision"] == 0
    assert after_kill["imported_live_without_live_revision"] == 0

    report = tmp_path / "report.json"
    _run([*command, "--report", str(report)], site)
    finished = _state(site, "story-1")
    assert finished["import_records"] == finished["imported_pages"] > 3
    assert finished["imported_without_revision"] == 0
    assert finished["imported_live_without_live_revision"] == 0

    first_rerun = json.loads(report.read_text())["counts"]["story"]
    assert first_rerun["created"] == finished["imported_pages"] - 3

    # A third run finds nothing left to do.
    _run([*command, "--report", str(report)], site)
    third = json.loads(report.read_text())["counts"]["story"]
    assert third["created"] == third["updated"] == 0
    assert _state(site, "story-1")["imported_pages"] == finished["imported_pages"]
