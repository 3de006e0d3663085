"""What the API may show: exactly what the site shows a reader who is not signed in.

Every endpoint starts from these querysets; none builds its own. A story is shown when
it is live, public (no password, login or group restriction on it or an ancestor, the
rule ``RestrictionAwarePageQuerySet.public()`` applies to the site's own listings) and,
for a key limited to sections, inside one of them. Drafts and scheduled stories are not
live; withdrawn ones are not live either.
"""

from django.db.models import Q

from masthead.articles.models import ArticlePage, Correction
from masthead.people.models import Author
from masthead.sections.models import SectionPage, Topic


class Scope:
    """Who is asking: anonymous, or a key, possibly limited to some sections."""

    def __init__(self, key=None, section_paths: list[str] | None = None):
        self.key = key
        self.section_paths = sorted(section_paths or [])

    @property
    def label(self) -> str:
        """Return a cache-key part that differs between scopes that see different things."""
        return "all" if not self.section_paths else ",".join(self.section_paths)

    def within_q(self, field: str = "path") -> Q:
        q = Q()
        for path in self.section_paths:
            q |= Q(**{f"{field}__startswith": path})
        return q


def stories(scope: Scope):
    """Return the stories ``scope`` may read, with first publication set."""
    qs = ArticlePage.objects.live().public().filter(first_published_at__isnull=False)
    if scope.section_paths:
        qs = qs.filter(scope.within_q())
    return qs


def sections(scope: Scope):
    qs = SectionPage.objects.live().public()
    if scope.section_paths:
        qs = qs.filter(path__in=scope.section_paths)
    return qs.order_by("path")


def topics(scope: Scope):
    """Return topics that at least one readable story carries."""
    ids = stories(scope).values("article_topics__topic_id")
    return Topic.objects.filter(pk__in=ids).order_by("name")


def authors(scope: Scope):
    """Return authors with a byline on at least one readable story."""
    ids = stories(scope).values("article_authors__author_id")
    return Author.objects.filter(pk__in=ids).order_by("name")


def corrections(scope: Scope):
    """Return corrections of readable stories only."""
    return Correction.objects.filter(page__in=stories(scope).values("pk"))


def pages(scope: Scope):
    """Return live public pages that are not stories (sections, About, policies...)."""
    from wagtail.models import Page

    qs = Page.objects.live().public().filter(depth__gt=1).not_type(ArticlePage)
    if scope.section_paths:
        # A key limited to sections sees those sections and nothing else of the site.
        qs = qs.filter(scope.within_q())
    return qs.order_by("path")
