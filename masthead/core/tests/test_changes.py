"""One way to say "content changed": counters, the signal, and values cached against them."""

import pytest

from masthead.articles.factories import ArticlePageFactory
from masthead.core import changes

from . import forking

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    calls = []

    def listener(sender, **kwargs):
        calls.append(kwargs)

    changes.content_changed.connect(listener)
    yield calls
    changes.content_changed.disconnect(listener)


def _other_process_says(kind: str) -> None:
    from masthead.core import changes as child

    child.changed(kind)


def test_cached_value_is_reused_until_its_counter_moves():
    builds = []

    def build():
        builds.append(1)
        return len(builds)

    assert changes.cached("t:value", changes.SITE, build) == 1
    assert changes.cached("t:value", changes.SITE, build) == 1
    changes.changed("ranked")  # another counter
    assert changes.cached("t:value", changes.SITE, build) == 1
    changes.changed("site")
    assert changes.cached("t:value", changes.SITE, build) == 2


def test_a_change_in_another_process_reaches_this_worker():
    builds = []
    changes.cached("t:nav", changes.SITE, lambda: builds.append(1) or "old")
    with forking.pool(1) as pool:
        pool.apply(_other_process_says, ("site",))
    assert changes.cached("t:nav", changes.SITE, lambda: "new") == "new"


def test_changed_sends_one_signal_with_its_counters(heard):
    changes.changed("imported", page_ids=[1, 2])
    assert len(heard) == 1
    assert heard[0]["kind"] == "imported"
    assert heard[0]["page_ids"] == [1, 2]
    assert set(heard[0]["counters"]) == set(changes.CONTENT)
    assert heard[0]["withdrawn"] is False


def test_publishing_a_story_bumps_stories_and_words_not_the_navigation(newsroom, heard):
    before = changes.versions()
    page = ArticlePageFactory(parent=newsroom.news, live=False)
    heard.clear()
    page.save_revision().publish()
    after = changes.versions()
    assert after[changes.STORIES] != before[changes.STORIES]
    assert after[changes.WORDS] != before[changes.WORDS]
    assert after[changes.SITE] == before[changes.SITE]
    assert "published" in [h["kind"] for h in heard]


def test_publishing_a_section_bumps_the_navigation(newsroom):
    before = changes.versions()[changes.SITE]
    newsroom.news.save_revision().publish()
    assert changes.versions()[changes.SITE] != before


def test_unpublishing_and_deleting_withdraw(newsroom, heard):
    story = newsroom.publish()
    heard.clear()
    story.unpublish()
    assert [h["kind"] for h in heard if h["withdrawn"]] == ["unpublished"]
    heard.clear()
    story.delete()
    assert [h["kind"] for h in heard] == ["deleted"]  # once, not once per table row


def test_saving_a_draft_of_a_live_story_changes_nothing(newsroom, heard):
    story = newsroom.publish()
    before = changes.versions()
    heard.clear()
    story.title = "A draft headline"
    story.save_revision()
    assert heard == []
    assert changes.versions() == before


def test_watch_ignores_bookkeeping_saves(newsroom, heard):
    image = newsroom.image
    heard.clear()
    image.file_size = 123
    image.save(update_fields=["file_size"])
    assert heard == []
    image.title = "Border crossing"
    image.save()
    assert [h["kind"] for h in heard] == ["edited"]


def test_changes_inside_a_transaction_are_bumped_again_on_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        changes.changed("site")
    middle = changes.versions()[changes.SITE]
    for callback in callbacks:
        callback()
    assert changes.versions()[changes.SITE] != middle


def test_register_page_type_refuses_unknown_counters():
    with pytest.raises(ValueError, match="Unknown counters"):
        changes.register_page_type(object, ["navigation"])


def test_cached_shared_values_are_built_once_for_every_worker():
    builds = []
    changes.cached("t:vocab", changes.WORDS, lambda: builds.append(1) or {"a": 1}, shared=True)
    changes.forget_local()  # another worker: nothing in its memory
    value = changes.cached(
        "t:vocab", changes.WORDS, lambda: builds.append(1) or {"b": 2}, shared=True
    )
    assert value == {"a": 1}
    assert len(builds) == 1
