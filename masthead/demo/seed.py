"""Build the demo newsroom from the storylines, reusing the test factories.

Every object is looked up by its slug before it is made, so a second run adds
nothing twice and a run cut short finishes on the next one.
"""

import io
import sys
from collections.abc import Callable
from datetime import timedelta

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from masthead.articles.factories import ArticlePageFactory, body_from_paragraphs
from masthead.articles.models import ArticlePage
from masthead.compat.publishing import override
from masthead.core.progress import ProgressBar
from masthead.images.models import MastheadImage
from masthead.people.factories import AuthorFactory
from masthead.people.models import Author
from masthead.sections.factories import SectionPageFactory, TopicFactory
from masthead.sections.models import HomePage, SectionPage, Topic

from . import generator, world
from .storylines import STORYLINES

Progress = Callable[[int, int, str], None]

# The renditions the templates ask for, made up front so first page views are fast.
RENDITION_SPECS = [
    "fill-400x225|format-webp",
    "fill-400x225|format-jpeg",
    "fill-800x450|format-webp",
    "fill-800x450|format-jpeg",
    "width-480|format-webp",
    "width-480|format-jpeg",
    "width-800|format-webp",
    "width-800|format-jpeg",
    "width-1200|format-webp",
    "width-1200|format-jpeg",
]


DEMO_INTRO = "Independent reporting from around the Sarvan Sea."

_bars: dict[str, ProgressBar] = {}


def text_progress(done: int, total: int, label: str) -> None:
    """Draw the shared progress bar (counts, rate, time left) on standard error."""
    bar = _bars.get("current")
    if bar is None or bar.stream is not sys.stderr:
        bar = _bars["current"] = ProgressBar(sys.stderr)
    bar.callback(label)(done, total)


def ensure_home() -> HomePage:
    """Return the site's HomePage, replacing Wagtail's welcome page on a new install."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        with transaction.atomic():
            home = HomePage(
                title=world.PUBLICATION,
                slug="front",
                intro=DEMO_INTRO,
            )
            root.add_child(instance=home)
            home.save_revision().publish()
            site = Site.objects.filter(is_default_site=True).first()
            if site is None:
                Site.objects.create(
                    hostname="localhost",
                    root_page=home,
                    is_default_site=True,
                    site_name=world.PUBLICATION,
                )
            else:
                old_root = site.root_page
                site.root_page = home
                site.site_name = world.PUBLICATION
                site.save()
                if old_root.specific_class is Page and old_root.depth == 2:
                    old_root.delete()
    elif not home.intro:
        # Made by `masthead init` (masthead demo runs it first): give it the demo's line.
        home.intro = DEMO_INTRO
        home.save_revision().publish()
    return home


def ensure_sections(home: HomePage) -> dict[str, SectionPage]:
    sections = {}
    for slug, title, description in world.SECTIONS:
        section = SectionPage.objects.child_of(home).filter(slug=slug).first()
        if section is None:
            section = SectionPageFactory(
                parent=home, slug=slug, title=title, description=description
            )
            section.save_revision().publish()
        elif not section.description:
            section.description = description  # made by `masthead init`, without one
            section.save_revision().publish()
        sections[slug] = section
    return sections


# The demo's pages that are not stories (masthead.pages): what a reader, Google News and
# the Trust Project look for. Slug, title, kind, standfirst, body paragraphs.
INFORMATION_PAGES = (
    (
        "about",
        "About us",
        "about",
        "A reader-funded newsroom reporting from the shores of the Sarvan Sea.",
        [
            "The Meridian Ledger is a fictional newsroom: every story, name and place on this "
            "site is invented to show what Masthead does.",
            "Our reporters cover the five coastal states, their border talks, their water and "
            "their energy, from desks in Port Halden and Varsk.",
        ],
    ),
    (
        "corrections-policy",
        "Corrections policy",
        "corrections",
        "When we get something wrong, we say so at the top of the story.",
        [
            "A correction states what was wrong and what is right, with the date we changed "
            "the story. We do not quietly rewrite what we published.",
            "Every correction we have made is listed, newest first, on the corrections page.",
        ],
    ),
)


def ensure_information_pages(home: HomePage) -> list:
    """Return the demo's About and corrections-policy pages, made under the home page if missing."""
    from masthead.pages.models import InformationPage

    pages = []
    for slug, title, kind, standfirst, paragraphs in INFORMATION_PAGES:
        page = InformationPage.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            page = InformationPage(title=title, slug=slug, kind=kind, standfirst=standfirst)
            page.body = [("paragraph", f"<p>{text}</p>") for text in paragraphs]
            home.add_child(instance=page)
            page.save_revision().publish()
        pages.append(page)
    return pages


def ensure_people_and_topics() -> tuple[dict[str, Author], dict[str, Topic]]:
    authors = {
        slug: AuthorFactory(slug=slug, name=name, job_title=job, bio=bio)
        for slug, name, job, bio in world.AUTHORS
    }
    topics = {
        slug: TopicFactory(slug=slug, name=name, kind=kind, description=description)
        for slug, name, kind, description in world.TOPICS
    }
    return authors, topics


def ensure_images(progress: Progress, renditions: bool = True) -> dict[str, MastheadImage]:
    images = {}
    lines = [(line, variant) for line in STORYLINES for variant in (0, 1)]
    for index, (line, variant) in enumerate(lines, start=1):
        key = f"{line['key']}-{variant}"
        title = f"demo:{key}"
        image = MastheadImage.objects.filter(title=title).first()
        if image is None:
            data = generator.picture(line["key"], line["colour"], variant)
            image = MastheadImage(
                title=title,
                caption=f"A view of {line['place']}",
                credit=f"{world.PUBLICATION} illustration",
                description=f"Illustrated skyline of {line['place']} above the water at dusk",
            )
            image.file = ImageFile(io.BytesIO(data), name=f"{key}.jpg")
            image.save()
        if renditions:
            image.get_renditions(*RENDITION_SPECS)
        images[key] = image
        progress(index, len(lines), "pictures")
    return images


def create_story(spec, section, authors, topics, images) -> ArticlePage:
    """Create and publish one story from its specification, with its real dates."""
    with transaction.atomic():
        page = ArticlePageFactory(
            parent=section,
            slug=spec.slug,
            title=spec.headline,
            standfirst=spec.standfirst,
            body=body_from_paragraphs(spec.paragraphs),
            kicker=spec.kicker,
            lead_image=images[spec.image_key],
            lead_image_caption=spec.caption,
            source_name=spec.source_name,
            source_url=spec.source_url,
            editors_choice=spec.editors_choice,
            updated_at=spec.updated_at,
            live=False,
            first_published_at=spec.published_at,
            authors=[authors[slug] for slug in spec.authors],
            topics=[topics[slug] for slug in spec.topics],
            corrections=spec.corrections,
        )
        revision = page.save_revision()
        revision.publish()
        last = spec.updated_at or spec.published_at
        ArticlePage.objects.filter(pk=page.pk).update(
            first_published_at=spec.published_at,
            last_published_at=last,
            latest_revision_created_at=last,
        )
        type(revision).objects.filter(pk=revision.pk).update(created_at=last)
    return page


def ensure_stories(sections, authors, topics, images, progress: Progress, now) -> int:
    specs = generator.story_specs(now)
    existing = set(ArticlePage.objects.values_list("slug", flat=True))
    made = 0
    for index, spec in enumerate(specs, start=1):
        if spec.slug not in existing:
            create_story(spec, sections[spec.section], authors, topics, images)
            made += 1
        progress(index, len(specs), "stories")
    return made


def ensure_unpublished_examples(sections, authors, topics, images, now) -> None:
    """Add one draft and one scheduled story, so editors see both states in the admin."""
    news = sections["news"]
    if not ArticlePage.objects.filter(slug="council-summit-agenda-draft").exists():
        draft = ArticlePageFactory(
            parent=news,
            slug="council-summit-agenda-draft",
            live=False,
            title="Council summit agenda leaks ahead of the meeting",
            standfirst="A draft the desk is still checking: it must not appear anywhere public.",
            lead_image=images["border-0"],
            authors=[authors["mira-castellan"]],
            topics=[topics["sarvan-cooperation-council"], topics["diplomacy"]],
        )
        draft.save_revision()
    if not ArticlePage.objects.filter(slug="reservoir-figures-scheduled").exists():
        scheduled = ArticlePageFactory(
            parent=news,
            slug="reservoir-figures-scheduled",
            live=False,
            title="Weekly reservoir figures: levels steady in the highlands",
            standfirst="Scheduled to publish automatically; the scheduler makes it live on time.",
            lead_image=images["drought-1"],
            authors=[authors["sofia-tarrant"]],
            topics=[topics["kolvenia"], topics["water"]],
        )
        scheduled.go_live_at = now + timedelta(hours=2)
        scheduled.save_revision().publish()


def seed(progress: Progress = text_progress, renditions: bool = True) -> dict:
    """Create whatever part of the demo newsroom is missing; return counts of what exists."""
    now = timezone.now()
    home = ensure_home()
    sections = ensure_sections(home)
    ensure_information_pages(home)
    authors, topics = ensure_people_and_topics()
    images = ensure_images(progress, renditions)
    # The demo's stories are fiction written to show the editorial checks at work; some
    # carry findings the checks block. They go live under an explicit, logged override.
    with override("demo", "the demo newsroom's stories show the editorial checks' findings"):
        made = ensure_stories(sections, authors, topics, images, progress, now)
        ensure_unpublished_examples(sections, authors, topics, images, now)
    if made:
        from masthead.discovery.related import rebuild_all

        rebuild_all()  # document frequencies of the whole newsroom, not of each moment
    from .live import ensure_live_page, ensure_running_stories

    live_page = ensure_live_page(sections["news"], authors, topics, images, now)
    running = ensure_running_stories(now, live_page)
    return {
        "stories_created": made,
        "stories_live": ArticlePage.objects.live().count(),
        "sections": len(sections),
        "topics": Topic.objects.count(),
        "authors": Author.objects.count(),
        "running_stories": len(running),
    }
