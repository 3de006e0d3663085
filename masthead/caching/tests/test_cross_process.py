"""Workers of the embedded default keep pages in their own memory; an unpublish in one
worker (or the scheduler, or a command-line run) must still reach every other worker."""

import os
import subprocess
import sys
import textwrap

import pytest

from masthead.caching import tags
from masthead.core import state

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.MASTHEAD_PAGE_CACHE = True


def _invalidate_in_another_process(name: str) -> None:
    # Another process: the same settings and data folder (inherited from this one's
    # environment), nothing of this process's memory.
    code = textwrap.dedent(
        f"""
        import django
        django.setup()
        from masthead.caching import tags
        tags._bump_all({{{name!r}}}, hard=True)
        """
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "masthead.settings.test"}
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60, env=env)


def test_an_unpublish_in_another_process_reaches_this_worker_s_cached_pages(
    client, newsroom, page_cache
):
    story = newsroom.stories[0]
    client.get(story.url)
    assert client.get(story.url)["X-Cache"] == "HIT"
    _invalidate_in_another_process(tags.page(story.pk))
    assert client.get(story.url)["X-Cache"] == "MISS"


def test_embedded_settings_keep_shared_state_in_diskcache_in_the_data_folder(tmp_path):
    code = textwrap.dedent(
        """
        import os
        os.environ.pop("REDIS_URL", None)
        from masthead.settings import base
        print(list(base.CACHES))
        shared = base.CACHES["state"]
        print(shared["BACKEND"].rsplit(".", 1)[-1], shared["LOCATION"].startswith(str(base.DATA_DIR)))
        """
    )
    env = {"MASTHEAD_DATA_DIR": str(tmp_path), "SECRET_KEY": "x" * 50, "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    lines = out.stdout.splitlines()
    assert lines[0] == "['default', 'state']", out.stderr[-500:]
    assert lines[1].split() == ["SharedStateCache", "True"]


def test_a_kept_fast_path_answer_is_dropped_when_another_process_invalidates(newsroom, page_cache):
    if not state.is_embedded():
        pytest.skip("the beacon is the embedded default's token")
    from django.core import signals
    from django.db import close_old_connections

    from masthead.caching.fastpath import CachedPageApplication

    from .test_fastpath import CountingApp, call

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        inner = CountingApp()
        app = CachedPageApplication(inner)
        story = newsroom.stories[0]
        call(app, story.url)  # MISS
        call(app, story.url)  # HIT, answer kept with the beacon's status
        token = tags.epoch_token()
        assert tags.epoch_token() == token  # stable while nothing changes
        assert call(app, story.url)[1]["X-Cache"] == "HIT" and inner.calls == 1

        # An unrelated invalidation elsewhere: the answer is checked again, still a hit.
        _invalidate_in_another_process(tags.topic(10**9 + 1))
        assert tags.epoch_token() != token
        assert call(app, story.url)[1]["X-Cache"] == "HIT" and inner.calls == 1

        # This story withdrawn in another process: at once.
        _invalidate_in_another_process(tags.page(story.pk))
        assert call(app, story.url)[1]["X-Cache"] == "MISS" and inner.calls == 2
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_two_bumps_in_one_clock_tick_give_two_tokens(page_cache):
    if not state.is_embedded():
        pytest.skip("the beacon is the embedded default's token")
    first = tags.epoch_token()
    tags.invalidate([tags.topic(10**9)])
    second = tags.epoch_token()
    tags.invalidate([tags.topic(10**9)])
    assert len({first, second, tags.epoch_token()}) == 3
