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


def make_test_site(title: str = "The Test Ledger", hostname: str = "testserver") -> HomePage:
    """Return a new HomePage that replaces Wagtail's welcome page as the default site's root."""
    from wagtail.models import Page, Site

    site = Site.objects.get(is_default_site=True)
    welcome = site.root_page
    home = HomePageFactory(parent=Page.get_first_root_node(), title=title, slug="front")
    site.root_page = home
    site.hostname = hostname
    site.save()
    welcome.delete()
    return home
