"""Workers of the embedded default keep pages in their own memory; an unpublish in one
worker (or the scheduler, or a command-line run) must still reach every other worker."""

import subprocess
import sys
import textwrap

import pytest

from masthead.caching import tags

pytestmark = pytest.mark.django_db


@pytest.fixture
def file_shared_cache(settings, tmp_path):
    settings.MASTHEAD_PAGE_CACHE = True
    settings.CACHES = {
        "default": {"BACKEND": "masthead.caching.backends.FastLocMemCache", "LOCATION": "w1"},
        "shared": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "shared"),
            "TIMEOUT": None,
        },
    }
    return tmp_path / "shared"


def _invalidate_in_another_process(location, name: str) -> None:
    # Another process sees the same folder and nothing of this process's memory.
    code = textwrap.dedent(
        f"""
        import django
        from django.conf import settings
        settings.configure(CACHES={{
            "default": {{"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
            "shared": {{"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                        "LOCATION": {str(location)!r}, "TIMEOUT": None}},
        }})
        django.setup()
        from masthead.caching import tags
        tags._bump_all({{{name!r}}}, hard=True)
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_an_unpublish_in_another_process_reaches_this_worker_s_cached_pages(
    client, newsroom, file_shared_cache
):
    story = newsroom.stories[0]
    client.get(story.url)
    assert client.get(story.url)["X-Cache"] == "HIT"
    _invalidate_in_another_process(file_shared_cache, tags.page(story.pk))
    assert client.get(story.url)["X-Cache"] == "MISS"


def test_embedded_settings_keep_counters_in_a_file_cache_in_the_data_folder(tmp_path):
    code = textwrap.dedent(
        """
        import os
        os.environ.pop("REDIS_URL", None)
        from masthead.settings import base
        shared = base.CACHES["shared"]
        print(shared["BACKEND"].rsplit(".", 1)[-1], shared["LOCATION"].startswith(str(base.DATA_DIR)))
        """
    )
    env = {"MASTHEAD_DATA_DIR": str(tmp_path), "SECRET_KEY": "x" * 50, "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert out.stdout.split() == ["FileBasedCache", "True"], out.stderr[-500:]


def test_a_kept_fast_path_answer_is_dropped_when_another_process_invalidates(
    newsroom, file_shared_cache, monkeypatch
):
    import time

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
        tags.invalidate([tags.topic(10**9)])  # the epoch file exists
        time.sleep(tags._RECENT_NS / 1e9 + 0.02)  # and is old enough to be trusted by its status
        call(app, story.url)  # MISS
        call(app, story.url)  # HIT, answer kept with the epoch file's status
        token = tags.epoch_token()
        assert tags.epoch_token() == token  # stable while nothing changes
        assert call(app, story.url)[1]["X-Cache"] == "HIT" and inner.calls == 1

        # An unrelated invalidation elsewhere: the answer is checked again, still a hit.
        _invalidate_in_another_process(file_shared_cache, tags.topic(10**9 + 1))
        assert tags.epoch_token() != token
        assert call(app, story.url)[1]["X-Cache"] == "HIT" and inner.calls == 1

        # This story withdrawn in another process: at once, not after a delay.
        time.sleep(tags._RECENT_NS / 1e9 + 0.02)
        call(app, story.url)  # kept again under the settled epoch file
        _invalidate_in_another_process(file_shared_cache, tags.page(story.pk))
        assert call(app, story.url)[1]["X-Cache"] == "MISS" and inner.calls == 2
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_an_epoch_file_written_just_now_is_never_trusted_by_its_status(file_shared_cache):
    tags.invalidate([tags.topic(10**9)])
    # Two reads within the clock-tick window must not compare equal, so a second
    # bump in the same tick can never go unseen.
    assert tags.epoch_token() != tags.epoch_token()
