"""Generate a synthetic archive of published stories, fast enough for 100,000 of them.

Reusable by any benchmark (``masthead generate_archive`` wraps it)::

    from masthead.demo.archive import generate_archive, build_search_index
    ids = generate_archive(100_000, seed=1, progress=True)   # pages, bylines, topics
    seconds = build_search_index(progress=True)              # Wagtail's search index

Stories are written from the demo newsroom's fictional world (masthead/demo/world.py)
plus generated names, some with diacritics, so every text is invented. Pages are
created without ``Page.save()`` by the shared bulk page builder (``masthead.operations.bulk``:
tree paths computed directly, rows inserted a batch at a time, no revisions).
Nothing is indexed while generating; ``build_search_index`` indexes in batches
(``masthead.search.bulk_index``: the entries Wagtail's backend writes, written faster),
so its time is the index build time.
"""

import datetime as dt
import random
import time
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page, Site

from masthead.articles.models import ArticleAuthor, ArticlePage, ArticleTopic
from masthead.core.progress import ProgressBar
from masthead.demo import world
from masthead.operations.bulk import insert_pages
from masthead.people.models import Author
from masthead.sections.models import HomePage, SectionPage, Topic

BATCH = 2000
MAX_STORIES = 100_000

_SYLLABLES = [
    "ka",
    "ri",
    "mo",
    "sel",
    "ven",
    "dar",
    "lu",
    "tis",
    "ban",
    "or",
    "ek",
    "zel",
    "ha",
    "mir",
    "to",
    "na",
    "pav",
    "os",
    "gül",
    "şe",
    "ə",
    "ro",
]
_VERBS = [
    "agrees to",
    "rejects",
    "delays",
    "approves",
    "questions",
    "defends",
    "announces",
    "suspends",
    "expands",
    "reviews",
]
_NOUNS = [
    "border talks",
    "grain exports",
    "pipeline contract",
    "water treaty",
    "budget plan",
    "harbour strike",
    "recount",
    "media law",
    "flood barriers",
    "railway study",
    "fishing quotas",
    "interest rates",
    "solar farm",
    "customs fees",
    "election rules",
    "power link",
    "ferry service",
    "hospital funding",
    "reservoir levels",
    "trade deal",
]
_SENTENCES = [
    "{person} said on {day} that {place} would not accept the {noun} in its current form.",
    "Officials in {place} confirmed that the {noun} will be discussed again next week.",
    "The {org} has asked both governments to publish the details of the {noun}.",
    "Critics say the {noun} favours large companies over farmers and small traders.",
    "{person} met reporters in {place} and promised an answer within a month.",
    "A spokesperson for the {org} declined to comment on the {noun}.",
    "Talks between {place} and its neighbours have stalled twice this year.",
    "The decision follows months of pressure from unions, businesses and local councils.",
    "Residents of {place} told our correspondent that prices had risen sharply.",
    "Analysts expect the {noun} to dominate the next session of parliament.",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


class _World:
    """People, places and organisations a generated story can mention."""

    def __init__(self, rng: random.Random):
        topics = {slug: (name, kind) for slug, name, kind, _ in world.TOPICS}
        self.people = [n for n, k in topics.values() if k == "person"]
        self.places = [n for n, k in topics.values() if k == "place"]
        self.orgs = [n for n, k in topics.values() if k == "organisation"]
        # Generated names give the archive a long tail of rare words, as real ones have.
        self.people += [f"{_name(rng, 2)} {_name(rng, 3)}" for _ in range(600)]
        self.places += [_name(rng, 3) for _ in range(200)]


def _paragraph(rng: random.Random, w: _World, noun: str) -> str:
    return " ".join(
        rng.choice(_SENTENCES).format(
            person=rng.choice(w.people),
            place=rng.choice(w.places),
            org=rng.choice(w.orgs),
            noun=noun,
            day=rng.choice(_DAYS),
        )
        for _ in range(rng.randint(2, 4))
    )


def _story(rng: random.Random, w: _World) -> tuple[str, str, list]:
    """Return a headline, a standfirst and StreamField JSON for one story."""
    person, place, noun = rng.choice(w.people), rng.choice(w.places), rng.choice(_NOUNS)
    headline = f"{person} {rng.choice(_VERBS)} the {noun} in {place}"
    standfirst = f"The {rng.choice(w.orgs)} says the {noun} will shape the coming year in {place}."
    body = [
        {
            "type": "paragraph",
            "value": f"<p>{_paragraph(rng, w, rng.choice([noun, *_NOUNS]))}</p>",
            "id": str(uuid.UUID(int=rng.getrandbits(128))),
        }
        for _ in range(rng.randint(3, 6))
    ]
    return headline, standfirst, body


def ensure_site() -> list[SectionPage]:
    """Return the site's sections, creating a home page and the demo sections if absent."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title=world.PUBLICATION, slug="front"))
        site = Site.objects.filter(is_default_site=True).first()
        if site:
            site.root_page = home
            site.save()
        else:
            Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    sections = list(SectionPage.objects.child_of(home).order_by("path"))
    if not sections:
        for slug, title, description in world.SECTIONS:
            home.add_child(instance=SectionPage(title=title, slug=slug, description=description))
        home.refresh_from_db()
        sections = list(SectionPage.objects.child_of(home).order_by("path"))
    return sections


def _people_and_topics() -> tuple[list[Author], list[Topic]]:
    authors = [
        Author.objects.get_or_create(slug=slug, defaults={"name": name, "job_title": job})[0]
        for slug, name, job, _ in world.AUTHORS
    ]
    topics = [
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})[0]
        for slug, name, kind, _ in world.TOPICS
    ]
    return authors, topics


def generate_archive(
    count: int, *, seed: int = 1, days: int = 3650, progress: bool = True, batch: int = BATCH
) -> int:
    """Add ``count`` published stories spread over the last ``days`` days; return how many.

    Stories go round-robin into the site's sections, each with one or two authors and
    one to three topics from the demo world. They are dated oldest first, as a real
    archive grows, so page ids (and the index entries made later in id order) follow
    publication. The search index is not touched.
    """
    if not 0 < count <= MAX_STORIES:
        raise ValueError(f"count must be between 1 and {MAX_STORIES}")
    rng = random.Random(seed)
    w = _World(rng)
    sections = ensure_site()
    authors, topics = _people_and_topics()
    now = timezone.now()
    bar = ProgressBar(enabled=progress)
    bar.start("stories", count)
    # Random moments in the period, in order: the first story is the oldest.
    dates = random.Random(seed + 1)
    ages = sorted((dates.randint(0, days * 86400) for _ in range(count)), reverse=True)
    done = 0
    while done < count:
        size = min(batch, count - done)
        by_section: dict[int, list[ArticlePage]] = {}
        for i in range(size):
            section = sections[(done + i) % len(sections)]
            headline, standfirst, body = _story(rng, w)
            slug = f"{slugify(headline)[:60]}-{seed}-{done + i}"
            page = ArticlePage(
                title=headline,
                slug=slug,
                standfirst=standfirst,
                body=body,
                live=True,
                has_unpublished_changes=False,
                translation_key=uuid.UUID(int=rng.getrandbits(128)),
            )
            page.article_authors = [
                ArticleAuthor(author=a, sort_order=n)
                for n, a in enumerate(rng.sample(authors, rng.randint(1, 2)))
            ]
            page.article_topics = [
                ArticleTopic(topic=t, sort_order=n)
                for n, t in enumerate(rng.sample(topics, rng.randint(1, 3)))
            ]
            by_section.setdefault(section.pk, []).append(page)
        # Pages are inserted section by section: date them in that order, so the
        # first story written (lowest id) is the oldest, as in a real archive.
        position = done
        for section in sections:
            for page in by_section.get(section.pk, []):
                page.first_published_at = page.last_published_at = now - dt.timedelta(
                    seconds=ages[position]
                )
                position += 1
        with transaction.atomic():
            for section in sections:
                insert_pages(section, by_section.get(section.pk, []))
        done += size
        bar.update(done)
    for section in sections:
        SectionPage.objects.filter(pk=section.pk).update(
            numchild=Page.objects.child_of(section).count()
        )
    return done


def build_search_index(*, progress: bool = True, batch: int = 1000) -> float:
    """(Re)build the search index entries of every story in batches; return the seconds taken.

    Goes through ``masthead.search.bulk_index.index_pages``, which writes the same
    entries as Wagtail's backend without preparing each field several times.
    """
    from masthead.search.bulk_index import index_pages

    ids = list(ArticlePage.objects.order_by("pk").values_list("pk", flat=True))
    started = time.monotonic()
    bar = ProgressBar(enabled=progress)
    bar.start("index", len(ids))
    index_pages(ids, batch=batch, progress=lambda done, total: bar.update(done))
    return time.monotonic() - started
