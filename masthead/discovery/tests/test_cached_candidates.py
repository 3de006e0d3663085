"""The discovery blocks' cached id lists follow publishing at once and never leak."""

from unittest import mock

import pytest

from masthead.discovery.models import Pick, PickList
from masthead.discovery.services import blocks_for

pytestmark = pytest.mark.django_db


def _shown(blocks) -> set[int]:
    return {s.pk for s in blocks.related + blocks.editors_choice + blocks.popular}


def test_lists_follow_publishing_picks_and_unpublishing(newsroom):
    story = newsroom.stories[1]
    before = blocks_for(story)  # fills the cached lists
    fresh = newsroom.publish(revision=True, days_ago=0, slug="fresh", editors_choice=True)
    assert fresh.pk in {s.pk for s in blocks_for(story).editors_choice}
    picked = newsroom.stories[7]
    Pick.objects.create(pick_list=PickList.objects.create(), article=picked, sort_order=0)
    assert blocks_for(story).editors_choice[0].pk == picked.pk
    gone = next(iter(_shown(before) - {picked.pk}))
    type(story).objects.get(pk=gone).unpublish()
    assert gone not in _shown(blocks_for(story))


def test_a_list_that_missed_a_change_still_never_shows_a_withdrawn_story(newsroom):
    story = newsroom.stories[1]
    shown = _shown(blocks_for(story))
    victim = type(story).objects.get(pk=next(iter(shown)))
    # Simulate a change the counters never heard of (a bulk update).
    with mock.patch("masthead.core.changes._bump"):
        type(story).objects.filter(pk=victim.pk).update(live=False)
    assert victim.pk not in _shown(blocks_for(story))
