"""A bare site for import tests: a home page and one section, nothing else to slow them."""

import pytest
from wagtail.models import Page, Site

from masthead.sections.factories import HomePageFactory, SectionPageFactory


def make_site():
    """Return (home, news section), with the home page as the default site's root."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, title="The Test Ledger", slug="front")
    site = Site.objects.get(is_default_site=True)
    old = site.root_page
    site.root_page, site.hostname = home, "testserver"
    site.save()
    old.delete()
    return home, SectionPageFactory(parent=home, title="News", slug="news")


class Bare:
    pass


@pytest.fixture
def bare_site(db):
    site = Bare()
    site.home, site.news = make_site()
    return site
