import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from .models import HomePage, SectionPage, Topic


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Home"
    slug = "home"

    class Meta:
        model = HomePage


class SectionPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    description = "Reporting from across the region."

    class Meta:
        model = SectionPage


class TopicFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    kind = Topic.Kind.THEME

    class Meta:
        model = Topic
        django_get_or_create = ("slug",)
