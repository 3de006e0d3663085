"""What the browser-test server seeds: a small demo newsroom, or a newsroom of hostile input.

Runs inside the server process (``server.py``) after Django is set up. Each seeder
returns a JSON-able dict that the tests read from the server's ``READY`` line.
"""

import io
from collections.abc import Callable
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.utils import timezone

Progress = Callable[[str], None]

EDITOR = {"username": "browser-editor", "password": "browser-editor-pass-7"}
# Stories of the demo newsroom the browser site keeps: enough for full listings,
# related stories and several topics, few enough to seed in seconds.
NEWSROOM_STORIES = 16


def ensure_wagtail_root() -> None:
    """Recreate the locale, root page and root collection a flushed test database lacks.

    Transactional tests earlier in the suite flush every table, rows made by data
    migrations included, before the browser tests copy the database.
    """
    from wagtail.models import Collection, Locale, Page

    if not Locale.objects.exists():
        Locale.objects.create(language_code="en")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", live=True))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")


def make_editor() -> dict:
    user_model = get_user_model()
    user = user_model.objects.filter(username=EDITOR["username"]).first()
    if user is None:
        user_model.objects.create_superuser(
            EDITOR["username"], "editor@example.org", EDITOR["password"]
        )
    return dict(EDITOR)


def seed_newsroom(base_url: str, progress: Progress) -> dict:
    """Seed part of the demo newsroom, its draft and scheduled story, and an editor."""
    from masthead.demo import generator, seed
    from masthead.demo.storylines import STORYLINES
    from masthead.discovery.related import rebuild_all
    from masthead.images.models import MastheadImage
    from masthead.sections.models import Topic

    ensure_wagtail_root()
    now = timezone.now()
    home = seed.ensure_home()
    sections = seed.ensure_sections(home)
    seed.ensure_information_pages(home)
    authors, topics = seed.ensure_people_and_topics()
    specs = sorted(generator.story_specs(now), key=lambda s: s.published_at)[-NEWSROOM_STORIES:]
    colours = {line["key"]: line["colour"] for line in STORYLINES}
    places = {line["key"]: line["place"] for line in STORYLINES}
    keys = {spec.image_key for spec in specs} | {"border-0", "drought-1"}
    images = {}
    for key in sorted(keys):
        line, variant = key.rsplit("-", 1)
        # Smaller than the demo's, but as wide as the widest rendition: a narrower original
        # gives two equal widths in srcset, which the HTML checker rejects (see README).
        data = generator.picture(line, colours[line], int(variant), width=1200, height=675)
        image = MastheadImage(
            title=f"demo:{key}",
            caption=f"A view of {places[line]}",
            credit="The Meridian Ledger illustration",
            description=f"Illustrated skyline of {places[line]} above the water at dusk",
        )
        image.file = ImageFile(io.BytesIO(data), name=f"{key}.jpg")
        image.save()
        images[key] = image
    progress(f"{len(images)} pictures")
    for number, spec in enumerate(specs, 1):
        seed.create_story(spec, sections[spec.section], authors, topics, images)
        if number % 4 == 0:
            progress(f"{number}/{len(specs)} stories")
    seed.ensure_unpublished_examples(sections, authors, topics, images, now)
    rebuild_all()
    live_info = seed_live(sections, authors, topics, images, now)
    used_topics = Topic.objects.filter(article_links__page__live=True).distinct().count()
    return {
        "base_url": base_url,
        "editor": make_editor(),
        "home": home.pk,
        "sections": {slug: section.pk for slug, section in sections.items()},
        "stories": len(specs),
        "topics_in_use": used_topics,
        "draft_slug": "council-summit-agenda-draft",
        "scheduled_slug": "reservoir-figures-scheduled",
        **live_info,
    }


def seed_live(sections, authors, topics, images, now) -> dict:
    """Add the demo's live page (a day of entries) and running stories."""
    from masthead.demo import live

    images = {**images, "strike-0": images.get("strike-0") or next(iter(images.values()))}
    from datetime import timedelta

    from masthead.articles.models import ArticlePage

    page = live.ensure_live_page(sections["news"], authors, topics, images, now)
    # Listed behind the stories the other journeys open first (the newest card).
    ArticlePage.objects.filter(pk=page.pk).update(first_published_at=now - timedelta(days=20))
    running = live.ensure_running_stories(now, page)
    return {
        "live_page": {"id": page.pk, "url": page.url},
        "running_story_urls": [r.get_absolute_url() for r in running],
    }


@contextmanager
def bulk_loading():
    """Write in one transaction with search and reference indexing off; index once after.

    Indexing each page as it is saved (and again when its bylines are added) was most of
    the seeding time; the reader pages do not use Wagtail's reference index.
    """
    from django.db import transaction
    from django.db.models.signals import post_save
    from modelsearch import index
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.search.backends import get_search_backend
    from wagtail.signal_handlers import disable_reference_index_auto_update

    models = [m for m in index.get_indexed_models() if getattr(m, "search_auto_update", True)]
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        with transaction.atomic(), disable_reference_index_auto_update():
            yield
            backend = get_search_backend()
            for model in models:
                objects = list(model.get_indexed_objects())
                if objects:
                    backend.add_bulk(model, objects)
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)


def seed_hostile(base_url: str, progress: Progress) -> dict:
    from .hostile_site import seed

    with bulk_loading():
        ensure_wagtail_root()
        info = seed(base_url, progress)
    progress("search index written")
    return info


def seed_newsroom_in_bulk(base_url: str, progress: Progress) -> dict:
    with bulk_loading():
        info = seed_newsroom(base_url, progress)
    progress("search index written")
    return info


SEEDERS = {"newsroom": seed_newsroom_in_bulk, "hostile": seed_hostile}
