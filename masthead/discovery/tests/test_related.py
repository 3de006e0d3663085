import datetime as dt
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from masthead.articles.factories import ArticlePageFactory, body_from_paragraphs
from masthead.discovery.models import (
    ArticleIndexEntry,
    ArticleRelatedArticle,
    RelatedExclusion,
    RelatedPin,
    TermStatistic,
)
from masthead.discovery.services import blocks_for

TRAM = [
    "Tram line works close the Eastgate high street",
    "Track laying on the Eastgate tram route has closed the high street; trams and rails arrive late.",
]
FLOOD = [
    "River Arven floods the lower town",
    "The Arven burst its banks and flood walls failed; residents filled sandbags by the river.",
]


def publish(newsroom, storyline, n, **kwargs):
    headline, text = storyline
    return newsroom.publish(
        revision=True,
        title=f"{headline}, part {n}",
        slug=f"{headline.split()[0].lower()}-{n}",
        standfirst=text,
        body=body_from_paragraphs([text, f"{headline}: the latest, day {n}."]),
        days_ago=n,
        **kwargs,
    )


def related_ids(page) -> list[int]:
    return list(
        ArticleRelatedArticle.objects.filter(article=page)
        .order_by("-score")
        .values_list("related_id", flat=True)
    )


@pytest.fixture
def threads(newsroom):
    trams = [publish(newsroom, TRAM, n) for n in range(3)]
    floods = [publish(newsroom, FLOOD, n) for n in range(3)]
    return trams, floods


def test_publishing_precomputes_related_stories_editors_pin_and_exclude(threads):
    trams, floods = threads
    for tram in trams:
        ids = related_ids(tram)
        assert tram.pk not in ids
        assert set(ids[:2]) == {t.pk for t in trams if t != tram}
    # The first story was published before the others and still gained them.
    assert set(related_ids(trams[0])[:2]) == {trams[1].pk, trams[2].pk}
    block = blocks_for(floods[0]).related
    assert {s.pk for s in block[:2]} == {floods[1].pk, floods[2].pk}

    RelatedPin.objects.create(page=trams[0], related=floods[2], sort_order=0)
    RelatedExclusion.objects.create(page=trams[0], related=trams[1])
    shown = [s.pk for s in blocks_for(trams[0]).related]
    assert shown[0] == floods[2].pk
    assert trams[1].pk not in shown
    assert trams[2].pk in shown


def test_drafts_scheduled_private_and_unpublished_stories_are_never_related(newsroom, threads):
    trams, floods = threads
    draft = ArticlePageFactory(parent=newsroom.news, live=False, title=TRAM[0], slug="draft")
    draft.save_revision()
    scheduled = ArticlePageFactory(parent=newsroom.news, live=False, title=TRAM[0], slug="later")
    scheduled.go_live_at = timezone.now() + dt.timedelta(days=2)
    scheduled.save_revision().publish()
    assert not ArticleIndexEntry.objects.filter(pk__in=[draft.pk, scheduled.pk]).exists()
    PageViewRestriction.objects.create(page=trams[1], restriction_type="password", password="x")
    shown = [s.pk for s in blocks_for(trams[0]).related]
    assert trams[2].pk in shown
    assert not {draft.pk, scheduled.pk, trams[1].pk, trams[0].pk} & set(shown)

    documents = TermStatistic.objects.get(term="eastgate").documents
    trams[2].unpublish()
    assert not ArticleIndexEntry.objects.filter(pk=trams[2].pk).exists()
    assert not ArticleRelatedArticle.objects.filter(related=trams[2]).exists()
    assert TermStatistic.objects.get(term="eastgate").documents == documents - 1
    assert trams[2].pk not in [s.pk for s in blocks_for(trams[0]).related]

    # A full rebuild indexes only published public stories (not the private one).
    ArticleRelatedArticle.objects.all().delete()
    call_command("rebuild_related", stdout=mock.Mock())
    assert not {trams[1].pk, trams[2].pk} & set(related_ids(trams[0]))
    assert not ArticleIndexEntry.objects.filter(pk__in=[trams[1].pk, trams[2].pk]).exists()
    assert set(related_ids(floods[0])[:2]) == {floods[1].pk, floods[2].pk}


def test_a_young_site_still_shows_related_stories(newsroom):
    # The fixture's stories were never published through Wagtail, so none is indexed.
    story = newsroom.stories[1]
    related = blocks_for(story).related
    assert related
    assert story not in related
    shared = {t.pk for t in story.topics}
    assert {t.pk for t in related[0].topics} & shared
