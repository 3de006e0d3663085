"""Changes made from the command line, in a process of their own, for the multi-process
tests: ``python -m tests.multiprocess.site COMMAND ...`` with the server's environment."""

import datetime as dt
import sys

import django


def build() -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from masthead.articles.factories import ArticlePageFactory
    from masthead.sections.factories import SectionPageFactory, make_test_site

    home = make_test_site(hostname="127.0.0.1")
    news = SectionPageFactory(parent=home, title="News", slug="news")
    SectionPageFactory(parent=home, title="Analysis", slug="analysis")
    SectionPageFactory(parent=home, title="Opinion", slug="opinion")
    for n in range(6):
        ArticlePageFactory(
            parent=news,
            live=True,
            slug=f"story-{n}",
            title=f"Harbour council report number {n}",
            first_published_at=django.utils.timezone.now() - dt.timedelta(days=n + 1),
        )
    # A story behind a page password (Wagtail's page view restriction), for its throttle.
    from wagtail.models import PageViewRestriction

    private = ArticlePageFactory(
        parent=news, live=True, slug="members-briefing", title="Members' harbour briefing"
    )
    PageViewRestriction.objects.create(
        page=private, restriction_type="password", password="harbour-secret-1"
    )
    get_user_model().objects.create_superuser("editor", "editor@example.org", "right-pass-123")
    from masthead.newsletters.models import Newsletter

    Newsletter.objects.create(site=home.get_site(), name="Morning briefing", slug="morning")
    from masthead.live.factories import LiveEntryFactory, LivePageFactory

    page = LivePageFactory(parent=news, live=False, slug="live-count", title="Live: the count")
    page.save_revision().publish()
    for n in range(3):
        LiveEntryFactory(
            page=page,
            headline=f"Count update {n}",
            published_at=django.utils.timezone.now() - dt.timedelta(minutes=30 - n),
        )


def _live_entry(headline: str):
    from masthead.live.models import LiveEntry

    return LiveEntry.objects.get(page__slug="live-count", headline=headline)


def live_entry(headline: str, seconds: str = "0") -> None:
    """Publish an entry on the live page (as the admin's save does), ``seconds`` from now."""
    from django.utils import timezone

    from masthead.live.factories import LiveEntryFactory
    from masthead.live.models import LivePage

    LiveEntryFactory(
        page=LivePage.objects.get(slug="live-count"),
        headline=headline,
        published_at=timezone.now() + dt.timedelta(seconds=float(seconds)),
    )


def live_correct(headline: str, correction: str) -> None:
    entry = _live_entry(headline)
    entry.correction = correction
    entry.save()


def live_withdraw(headline: str) -> None:
    entry = _live_entry(headline)
    entry.status = entry.Status.DRAFT
    entry.save()


def rename(slug: str, title: str) -> None:
    from masthead.sections.models import SectionPage

    section = SectionPage.objects.get(slug=slug)
    section.title = title
    section.save_revision().publish()


def schedule(slug: str, title: str, seconds: str) -> None:
    from django.utils import timezone

    from masthead.articles.factories import ArticlePageFactory
    from masthead.sections.models import SectionPage

    story = ArticlePageFactory(
        parent=SectionPage.objects.get(slug="news"), live=False, slug=slug, title=title
    )
    story.go_live_at = timezone.now() + dt.timedelta(seconds=float(seconds))
    story.save_revision().publish()


def publish(slug: str, title: str) -> None:
    from masthead.articles.factories import ArticlePageFactory
    from masthead.sections.models import SectionPage

    story = ArticlePageFactory(
        parent=SectionPage.objects.get(slug="news"), live=False, slug=slug, title=title
    )
    story.save_revision().publish()


def unpublish(slug: str) -> None:
    from masthead.articles.models import ArticlePage

    ArticlePage.objects.get(slug=slug).unpublish()


def api_key(name: str) -> None:
    """Issue an API key named ``name`` and print it (the only time it is shown)."""
    from masthead.api.models import ApiKey

    key = ApiKey(name=name)
    raw = key.issue()
    key.save()
    sys.stdout.write(raw + "\n")


def api_revoke(name: str) -> None:
    from masthead.api.models import ApiKey

    ApiKey.objects.get(name=name).revoke()


def api_rate(per_minute: str) -> None:
    """Set the anonymous rate of the read API, as Settings > API does."""
    from wagtail.models import Site

    from masthead.api.models import ApiSettings

    row = ApiSettings.for_site(Site.objects.get(is_default_site=True))
    row.anonymous_rate_per_minute = int(per_minute)
    row.save()


if __name__ == "__main__":
    django.setup()
    import django.utils.timezone

    command, *arguments = sys.argv[1:]
    commands = {
        "build": build,
        "rename": rename,
        "schedule": schedule,
        "publish": publish,
        "unpublish": unpublish,
        "live-entry": live_entry,
        "live-correct": live_correct,
        "live-withdraw": live_withdraw,
        "api-key": api_key,
        "api-revoke": api_revoke,
        "api-rate": api_rate,
    }
    commands[command](*arguments)
