"""Generate a synthetic archive of published stories, fast enough for 100,000 of them.

Reusable by any benchmark (``masthead generate_archive`` wraps it)::

    from masthead.search.archive import generate_archive, build_search_index
    ids = generate_archive(100_000, seed=1, progress=True)   # pages, bylines, topics
    seconds = build_search_index(progress=True)              # Wagtail's search index

Stories are written from the demo newsroom's fictional world (masthead/demo/world.py)
plus generated names, some with diacritics, so every text is invented. Pages are
created without ``Page.save()``: tree paths are computed (treebeard's materialised
path, one step per child) and rows are inserted with ``bulk_create`` (the page row) and
``executemany`` (the story row, since Django cannot bulk-create a multi-table child).
Nothing is indexed while generating; ``build_search_index`` indexes in batches through
Wagtail's backend, so its time is the index build time.
"""

import datetime as dt
import json
import random
import sys
import time
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale, Page, Site
from wagtail.search.backends import get_search_backend

from masthead.articles.models import ArticleAuthor, ArticlePage, ArticleTopic
from masthead.demo import world
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


def _progress(label: str, done: int, total: int, started: float, enabled: bool) -> None:
    if not enabled:
        return
    width = 30
    filled = int(width * done / max(total, 1))
    rate = done / max(time.monotonic() - started, 1e-9)
    sys.stderr.write(
        f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} ({rate:,.0f}/s)"
    )
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


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


def _insert_stories(rows: list[tuple]) -> None:
    """Insert ArticlePage child rows (page_ptr_id, standfirst, body JSON)."""
    fields = ArticlePage._meta.local_concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(ArticlePage._meta.db_table)
    values = []
    for page_id, standfirst, body in rows:
        data = {
            "page_ptr_id": page_id,
            "standfirst": standfirst,
            "body": json.dumps(body),
            "lead_image_id": None,
            "updated_at": None,
            "editors_choice": False,
        }
        values.append(
            [data.get(f.column, f.get_default() if f.has_default() else "") for f in fields]
        )
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)  # noqa: S608


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
    content_type = ContentType.objects.get_for_model(ArticlePage)
    locale = Locale.get_default()
    now = timezone.now()
    next_step = {s.pk: s.numchild + 1 for s in sections}
    # numchild can lag behind the real children if pages were deleted; start after the last.
    for section in sections:
        last = section.get_last_child()
        if last is not None:
            next_step[section.pk] = max(
                next_step[section.pk], Page._str2int(last.path[-Page.steplen :]) + 1
            )
    # Random moments in the period, in order: the first story is the oldest.
    dates = random.Random(seed + 1)
    ages = sorted((dates.randint(0, days * 86400) for _ in range(count)), reverse=True)
    started = time.monotonic()
    done = 0
    while done < count:
        size = min(batch, count - done)
        pages, details = [], []
        for i in range(size):
            section = sections[(done + i) % len(sections)]
            step = next_step[section.pk]
            next_step[section.pk] += 1
            headline, standfirst, body = _story(rng, w)
            slug = f"{slugify(headline)[:60]}-{seed}-{done + i}"
            published = now - dt.timedelta(seconds=ages[done + i])
            pages.append(
                Page(
                    title=headline,
                    draft_title=headline,
                    slug=slug,
                    path=Page._get_path(section.path, section.depth + 1, step),
                    depth=section.depth + 1,
                    numchild=0,
                    url_path=f"{section.url_path}{slug}/",
                    content_type=content_type,
                    locale=locale,
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=published,
                    last_published_at=published,
                    translation_key=uuid.UUID(int=rng.getrandbits(128)),
                )
            )
            details.append(
                (
                    standfirst,
                    body,
                    rng.sample(authors, rng.randint(1, 2)),
                    rng.sample(topics, rng.randint(1, 3)),
                )
            )
        with transaction.atomic():
            created = Page.objects.bulk_create(pages)
            _insert_stories([(p.pk, d[0], d[1]) for p, d in zip(created, details, strict=True)])
            ArticleAuthor.objects.bulk_create(
                ArticleAuthor(page_id=p.pk, author=a, sort_order=n)
                for p, d in zip(created, details, strict=True)
                for n, a in enumerate(d[2])
            )
            ArticleTopic.objects.bulk_create(
                ArticleTopic(page_id=p.pk, topic=t, sort_order=n)
                for p, d in zip(created, details, strict=True)
                for n, t in enumerate(d[3])
            )
        done += size
        _progress("stories", done, count, started, progress)
    for section in sections:
        SectionPage.objects.filter(pk=section.pk).update(
            numchild=Page.objects.child_of(section).count()
        )
    return done


def build_search_index(*, progress: bool = True, batch: int = 1000) -> float:
    """(Re)build the search index entries of every story in batches; return the seconds taken."""
    backend = get_search_backend()
    stories = ArticlePage.objects.order_by("pk").prefetch_related(
        "article_authors__author", "article_topics__topic"
    )
    ids = list(stories.values_list("pk", flat=True))
    started = time.monotonic()
    for start in range(0, len(ids), batch):
        chunk = list(stories.filter(pk__in=ids[start : start + batch]))
        with transaction.atomic():
            backend.add_bulk(ArticlePage, chunk)
        _progress("index", min(start + batch, len(ids)), len(ids), started, progress)
    return time.monotonic() - started
