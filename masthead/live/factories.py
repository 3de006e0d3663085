import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from masthead.articles.factories import ArticlePageFactory, body_from_paragraphs

from .models import LiveEntry, LivePage


class LivePageFactory(ArticlePageFactory):
    title = factory.Sequence(lambda n: f"Live: election night in Port Halden, {n}")
    slug = factory.Sequence(lambda n: f"live-{n}")
    standfirst = "Results from every district as they are counted."
    coverage_start = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=2))

    class Meta:
        model = LivePage
        skip_postgeneration_save = True


class LiveEntryFactory(DjangoModelFactory):
    page = None
    headline = ""
    body = factory.Sequence(
        lambda n: body_from_paragraphs([f"Counting continues in district {n} of the region."])
    )
    published_at = factory.LazyFunction(timezone.now)
    status = LiveEntry.Status.PUBLISHED

    class Meta:
        model = LiveEntry
