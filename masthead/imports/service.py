"""Write imported stories, images, authors and topics, once each, however often it runs.

Each story is written in its own transaction together with its ImportRecord, so a
crash leaves either the whole story or none of it, and the next run carries on. A
story whose content hash has not changed since the last run is left alone.
"""

import datetime as dt
import hashlib
import io
import json
import mimetypes
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.images import ImageFile
from django.db import DatabaseError, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from modelsearch.index import get_search_backends_with_name
from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.log_actions import log as log_action
from wagtail.models import Page, PageLogEntry, PageViewRestriction
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import page_published
from wagtailmedia import get_media_model
from wagtailmedia.settings import wagtailmedia_settings

from masthead.articles.models import ArticleAuthor, ArticlePage, ArticleTopic
from masthead.compat.publishing import pause_for_crash_test
from masthead.core import changes
from masthead.core.uploads import MARKUP, sniff_problem
from masthead.images.models import MastheadImage
from masthead.operations.bulk import child_relation_names, index_references, insert_pages
from masthead.people.models import Author
from masthead.sections.models import HomePage, SectionPage, Topic

from .convert import SIZE_SUFFIX, truncate
from .errors import ImportFileError, ItemError
from .fetch import Limits, fetch
from .models import ImportRecord
from .report import ProgressBar, Report

TITLE_MAX = 255
SLUG_MAX = 255
STANDFIRST_MAX = 320
IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
MAX_PIXELS = 60_000_000
INDEX_BATCH = 500
# New stories written per transaction; a failure in one sends its batch down the
# one-by-one path, so only the story at fault is skipped.
STORY_BATCH = 500


@contextmanager
def indexing_held_back():
    """Hold back the per-save search and reference index updates while a story is written.

    Every save of a page or child row would update both indexes on its own; the
    writer adds its stories to them in batches instead (see ``update_indexes``).
    """
    from modelsearch.signal_handlers import post_save_signal_handler

    connected = post_save.disconnect(post_save_signal_handler, sender=ArticlePage)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        if connected:
            post_save.connect(post_save_signal_handler, sender=ArticlePage)


class State:
    LIVE = "live"
    DRAFT = "draft"
    SCHEDULED = "scheduled"


@dataclass
class StorySpec:
    """Everything a story is made of, in plain values, so it can be hashed and compared."""

    external_id: str
    label: str
    title: str
    slug: str
    standfirst: str
    body: list[dict]
    section: SectionPage
    state: str
    date: dt.datetime
    lead_image: MastheadImage | None = None
    lead_image_caption: str = ""
    lead_image_credit: str = ""
    authors: list[Author] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    source_name: str = ""
    source_url: str = ""
    login_required: bool = False
    password: str = ""
    old_urls: list[str] = field(default_factory=list)

    def content_hash(self) -> str:
        data = {
            "title": self.title,
            "slug": self.slug,
            "standfirst": self.standfirst,
            "body": self.body,
            "section": self.section.pk,
            "state": self.state,
            "date": self.date.isoformat(),
            "lead_image": self.lead_image.pk if self.lead_image else None,
            "caption": self.lead_image_caption,
            "credit": self.lead_image_credit,
            "authors": [a.pk for a in self.authors],
            "topics": [t.pk for t in self.topics],
            "source": [self.source_name, self.source_url],
            "restriction": [self.login_required, self.password],
            "old_urls": self.old_urls,
        }
        encoded = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(encoded.encode()).hexdigest()


class StoryWriter:
    """Create or update stories and what they link to, recording each in the report."""

    def __init__(
        self,
        source: str,
        *,
        report: Report,
        progress: ProgressBar | None = None,
        media_dir: Path | None = None,
        download: bool = True,
        limits: Limits = Limits(),  # noqa: B008
        section_slug: str = "",
    ):
        self.source = source[:255]
        self.report = report
        self.progress = progress
        self.media_dir = media_dir.resolve() if media_dir else None
        self.download = download
        self.limits = limits
        self.home = HomePage.objects.first()
        if self.home is None:
            raise ImportFileError(
                "The site has no home page yet. Start the newsroom with `masthead init` "
                "(see README, 'Start your own newsroom'), then import again."
            )
        self.topics: dict[str, Topic] = {}
        # Before the default section: a site with a home page and no section makes one.
        self.sections: dict[str, SectionPage] = {}
        self.default_section = self._default_section(section_slug)
        self.slugs: dict[int, set[str]] = {}
        self.url_images: dict[str, MastheadImage | None] = {}
        self.authors: dict[str, Author] = {}
        self.saved_files: list[str] = []
        self.batch_size = STORY_BATCH
        self.pending: list[tuple[StorySpec, str]] = []
        self.pending_ids: set[str] = set()
        self.records: dict[str, tuple[int, int | None, str]] | None = None
        # Written one by one, so page_published has already been sent for them.
        self.signalled: set[int] = set()
        # Written in bulk by this run and already in the search and reference indexes
        # (from the objects in memory): page id -> live.
        self.indexed: dict[int, bool] = {}

    # Sections, topics, authors -------------------------------------------------------

    def _default_section(self, slug: str) -> SectionPage:
        sections = SectionPage.objects.child_of(self.home).order_by("path")
        if slug:
            section = sections.filter(slug=slug).first()
            if section is None:
                names = ", ".join(sections.values_list("slug", flat=True)) or "none"
                raise ImportFileError(
                    f"There is no section with the slug {slug!r} (sections: {names})."
                )
            return section
        return sections.first() or self.section_for("news", "News")

    def section_for(self, slug: str, name: str) -> SectionPage:
        """Return the section with ``slug`` under the home page, creating and publishing it."""
        slug = slugify(unquote(slug) or name, allow_unicode=True)[:SLUG_MAX] or "section"
        if slug not in self.sections:
            section = SectionPage.objects.child_of(self.home).filter(slug=slug).first()
            if section is None:
                section = SectionPage(title=truncate(name or slug, TITLE_MAX), slug=slug)
                self.home.add_child(instance=section)
                section.save_revision().publish(log_action=False)
            self.sections[slug] = section
        return self.sections[slug]

    def topic_for(self, slug: str, name: str) -> Topic | None:
        """Return the topic named ``name`` (or with ``slug``), creating it once."""
        name = truncate(name.strip() or unquote(slug), 120)
        slug = slugify(unquote(slug) or name, allow_unicode=True)[:140]
        if not name or not slug:
            return None
        key = slug.lower()
        if key not in self.topics:
            topic = (
                Topic.objects.filter(slug=slug).first()
                or Topic.objects.filter(name__iexact=name).first()
            )
            if topic is None:
                topic = Topic.objects.create(name=name, slug=slug)
            self.topics[key] = topic
        return self.topics[key]

    def author_for(
        self, login: str, name: str, *, bio: str = "", photo: MastheadImage | None = None
    ) -> Author:
        """Return the Author imported for ``login``, creating one the first time.

        ``bio`` and ``photo`` fill the byline's bio and picture where they are empty:
        what an editor wrote or chose in Masthead is never replaced.
        """
        if login not in self.authors:
            self.authors[login] = self._author(login, name, bio, photo)
        return self.authors[login]

    def _author(self, login: str, name: str, bio: str, photo: MastheadImage | None) -> Author:
        record = (
            ImportRecord.objects.filter(
                source=self.source, kind=ImportRecord.Kind.AUTHOR, external_id=login
            )
            .select_related("author")
            .first()
        )
        author = record.author if record else None
        if author is None:
            base = slugify(name or login, allow_unicode=True)[:130] or "author"
            author = Author.objects.filter(slug=base, name=name or login).first()
        if author is None:
            slug, n = base, 1
            while Author.objects.filter(slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
            author = Author.objects.create(
                name=truncate(name or login, 120), slug=slug, bio=bio, photo=photo
            )
            self.report.count("author", "created")
        else:
            changed = []
            if bio and not author.bio:
                author.bio = bio
                changed.append("bio")
            if photo is not None and author.photo_id is None:
                author.photo = photo
                changed.append("photo")
            if changed:
                author.save(update_fields=changed)
            self.report.count("author", "updated" if changed else "unchanged")
        if record is None or record.author_id != author.pk:
            ImportRecord.objects.update_or_create(
                source=self.source,
                kind=ImportRecord.Kind.AUTHOR,
                external_id=login,
                defaults={"author": author},
            )
        return author

    # Images --------------------------------------------------------------------------

    def read_media(
        self, url: str, limits: Limits | None = None, accept: str = "image/*"
    ) -> tuple[bytes, str]:
        """Return the bytes of an attachment from the media folder, else from its URL."""
        limits = limits or self.limits
        path = unquote(urlsplit(url).path)
        if self.media_dir is not None:
            for candidate in _media_candidates(self.media_dir, path):
                if candidate.is_file():
                    if candidate.stat().st_size > limits.max_bytes:
                        raise ItemError(
                            f"{candidate.name} is larger than the "
                            f"{limits.max_bytes // 1048576} MB upload limit."
                        )
                    return candidate.read_bytes(), candidate.name
        if not self.download:
            raise ItemError(f"The file for {url} is not in the media folder.")
        data, _type = fetch(url, limits, accept=accept)
        return data, PurePosixPath(path).name

    def save_file(self, kind: str, url: str, title: str = ""):
        """Return the audio, video (wagtailmedia) or document imported from ``url``.

        Imported once per address and source, with the same SSRF and size rules as
        images (``fetch``); the limits are the site's upload limits for media and
        documents. Raise ItemError with the reason when the file cannot be kept.
        """
        record_kind = ImportRecord.Kind.DOCUMENT if kind == "document" else ImportRecord.Kind.MEDIA
        external_id = f"url:{url}"[:255]
        record = (
            ImportRecord.objects.filter(
                source=self.source, kind=record_kind, external_id=external_id
            )
            .select_related("media", "document")
            .first()
        )
        if record is not None and (record.media or record.document):
            self.report.count(record_kind, "unchanged")
            return record.media or record.document
        name = PurePosixPath(unquote(urlsplit(url).path)).name
        extension = PurePosixPath(name).suffix.lower().lstrip(".")
        if kind == "document":
            allowed = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or []
            max_bytes = settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
        else:
            allowed = getattr(wagtailmedia_settings, f"{kind.upper()}_EXTENSIONS")
            max_bytes = settings.MASTHEAD_MEDIA_MAX_UPLOAD_SIZE
        if allowed and extension not in allowed:
            raise ItemError(f"{name or url} is not a file type the site accepts as {kind}.")
        limits = Limits(max_bytes=max_bytes, timeout=max(self.limits.timeout, 120.0))
        data, filename = self.read_media(url, limits, accept="*/*")
        problem = _file_problem(filename, data)
        if problem:
            raise ItemError(f"{filename}: {problem}")
        stem = slugify(PurePosixPath(filename).stem)[:80] or kind
        upload = File(io.BytesIO(data), name=f"{stem}.{extension}")
        title = truncate(title or PurePosixPath(filename).stem or url, 255)
        with transaction.atomic():
            if kind == "document":
                obj = get_document_model()(title=title)
                obj.file = upload
                obj.file_size = len(data)
                obj.save()
            else:
                obj = get_media_model()(title=title, type=kind, duration=0)
                obj.file = upload
                obj.save()
            self.saved_files.append(obj.file.name)
            ImportRecord.objects.update_or_create(
                source=self.source,
                kind=record_kind,
                external_id=external_id,
                defaults={"media" if kind != "document" else "document": obj},
            )
        self.report.count(record_kind, "created")
        return obj

    def save_image(
        self, external_id: str, url: str, *, title: str, caption: str, credit: str, alt: str
    ) -> MastheadImage | None:
        """Return the image imported as ``external_id``, importing or updating it first.

        A file that is missing, unreachable or not an image is reported and ``None`` is
        returned: the story goes on without it.
        """
        caption, credit = truncate(caption, 400), truncate(credit, 200)
        title = truncate(title or PurePosixPath(urlsplit(url).path).name or "Imported image", 255)
        digest = hashlib.sha256(
            json.dumps([url, title, caption, credit, alt], ensure_ascii=False).encode()
        ).hexdigest()
        record = (
            ImportRecord.objects.filter(
                source=self.source, kind=ImportRecord.Kind.IMAGE, external_id=external_id
            )
            .select_related("image")
            .first()
        )
        label = f"image {external_id}"
        if record and record.image:
            image = record.image
            if record.content_hash == digest:
                self.report.count("image", "unchanged")
                return image
            image.title, image.caption, image.credit = title, caption, credit
            image.description = truncate(alt, 255)
            image.save(update_fields=["title", "caption", "credit", "description"])
            record.content_hash = digest
            record.save(update_fields=["content_hash", "imported_at"])
            self.report.count("image", "updated")
            return image
        try:
            data, filename = self.read_media(url)
            filename = _check_image(data, filename)
        except ItemError as exc:
            self.report.skip("image", f"{label} {url}", str(exc))
            return None
        image = MastheadImage(
            title=title, caption=caption, credit=credit, description=truncate(alt, 255)
        )
        image.file = ImageFile(io.BytesIO(data), name=filename)
        with transaction.atomic():
            image.save()
            self.saved_files.append(image.file.name)
            ImportRecord.objects.update_or_create(
                source=self.source,
                kind=ImportRecord.Kind.IMAGE,
                external_id=external_id,
                defaults={"image": image, "content_hash": digest},
            )
        self.report.count("image", "created")
        return image

    def image_from_url(self, url: str) -> tuple[MastheadImage | None, str | None]:
        """Return an image for a body ``<img>`` that no attachment describes."""
        if not url.startswith(("http://", "https://")):
            return None, f"An image without a usable address ({url[:60]!r}) was removed."
        key = SIZE_SUFFIX.sub(r"\1", url)
        if key not in self.url_images:
            self.url_images[key] = self.save_image(
                f"url:{key}"[:255], key, title="", caption="", credit="", alt=""
            )
        image = self.url_images[key]
        return image, None if image else f"The image {key} could not be imported and was removed."

    # Stories -------------------------------------------------------------------------

    def unique_slug(self, section: SectionPage, wanted: str, page: ArticlePage | None) -> str:
        if page is not None and page.get_parent().pk == section.pk:
            return page.slug
        if section.pk not in self.slugs:
            self.slugs[section.pk] = set(
                Page.objects.child_of(section).values_list("slug", flat=True)
            )
        taken = self.slugs[section.pk]
        slug, n = wanted, 1
        while slug in taken:
            n += 1
            suffix = f"-{n}"
            slug = wanted[: SLUG_MAX - len(suffix)] + suffix
        return slug

    def first_published(self, external_id: str) -> dt.datetime | None:
        """Return when the story imported as ``external_id`` was first published, if it was."""
        if external_id in self.pending_ids:
            self.flush()
        return (
            ArticlePage.objects.filter(
                pk__in=ImportRecord.objects.filter(
                    source=self.source, kind=ImportRecord.Kind.STORY, external_id=external_id
                ).values("page_id")
            )
            .values_list("first_published_at", flat=True)
            .first()
        )

    def story_record(self, external_id: str) -> tuple[int, int | None, str] | None:
        """Return (record id, page id, content hash) of a story imported before, if any.

        Every record of the source is read in one query on first use: one lookup per
        story would cost as much as the rest of a re-run of an unchanged archive.
        """
        if self.records is None:
            self.records = {
                external_id: (pk, page_id, digest)
                for external_id, pk, page_id, digest in ImportRecord.objects.filter(
                    source=self.source, kind=ImportRecord.Kind.STORY
                ).values_list("external_id", "pk", "page_id", "content_hash")
            }
        return self.records.get(external_id)

    def write_story(self, spec: StorySpec) -> str | None:
        """Create or update the story for ``spec``; return the outcome.

        A new story is queued and written with its batch (see ``flush``), which
        counts it in the report; ``None`` is returned for it here.
        """
        digest = spec.content_hash()
        if spec.external_id in self.pending_ids:
            self.flush()  # the same post twice in one file: the second one updates
        record = self.story_record(spec.external_id)
        if record and record[1] and record[2] == digest:
            return "unchanged"
        page = ArticlePage.objects.filter(pk=record[1]).first() if record and record[1] else None
        if page is None:
            self.pending.append((spec, digest))
            self.pending_ids.add(spec.external_id)
            if len(self.pending) >= self.batch_size:
                self.flush()
            return None
        return self.write_one(spec, digest, page)

    def write_one(self, spec: StorySpec, digest: str, page: ArticlePage | None) -> str:
        """Create or update one story in its own transaction; return the outcome."""
        try:
            with transaction.atomic(), indexing_held_back():
                if page is None:
                    page = self._create(spec)
                    outcome = "created"
                else:
                    self._update(page, spec)
                    outcome = "updated"
                if spec.state == State.LIVE:
                    self._redirect(page, spec)
                record, _ = ImportRecord.objects.update_or_create(
                    source=self.source,
                    kind=ImportRecord.Kind.STORY,
                    external_id=spec.external_id,
                    defaults={"page": page, "content_hash": digest, "indexed": False},
                )
                # Crash tests kill the process here: all of the story written, none committed.
                pause_for_crash_test("import-story")
        except (ValidationError, DatabaseError, ValueError) as exc:
            # The transaction rolled back: nothing of this story is left. Say why it failed.
            self.slugs.pop(spec.section.pk, None)
            raise ItemError(f"It could not be saved ({exc.__class__.__name__}: {exc}).") from exc
        except BaseException:
            self.slugs.pop(spec.section.pk, None)
            raise
        if self.records is not None:
            self.records[spec.external_id] = (record.pk, page.pk, digest)
        self.signalled.add(page.pk)
        self.indexed.pop(page.pk, None)  # changed since: indexed again by update_indexes
        return outcome

    def flush(self) -> None:
        """Write the queued new stories in one transaction, or one by one if that fails.

        A batch that fails (a database error in one of its stories) is rolled back
        whole and written again story by story, so only the story at fault is
        skipped, with its reason. A crash loses at most the batch being written.
        """
        batch, self.pending = self.pending, []
        self.pending_ids = set()
        if not batch:
            return
        notes: list[tuple[str, str]] = []
        try:
            with transaction.atomic(), indexing_held_back():
                pages = self._create_bulk(batch, notes)
                # Crash tests kill the process here: the batch written, none of it committed.
                pause_for_crash_test("import-batch")
        except (ValidationError, DatabaseError, ValueError):
            self._forget_slugs(batch)
            for spec, digest in batch:
                try:
                    self.report.count("story", self.write_one(spec, digest, None))
                except ItemError as exc:
                    self.report.skip("story", spec.label, str(exc))
            return
        except BaseException:
            self._forget_slugs(batch)
            raise
        for label, text in notes:
            self.report.note(label, text)
        for _ in batch:
            self.report.count("story", "created")
        # Indexed now, from the objects just written, instead of read back from the
        # database at the end. Their records stay "not indexed" until update_indexes
        # has also let the other apps catch up, so a crash from here on loses nothing.
        with transaction.atomic():
            self._index(pages)
        self.indexed.update((page.pk, page.live) for page in pages)

    def _forget_slugs(self, batch: list[tuple[StorySpec, str]]) -> None:
        for spec, _ in batch:
            self.slugs.pop(spec.section.pk, None)

    def _create_bulk(self, batch: list[tuple[StorySpec, str]], notes: list) -> list[ArticlePage]:
        """Write new stories as ``_create`` does, a batch at a time (masthead.operations.bulk).

        Return the pages written, with their bylines and topics in memory.
        """
        by_section: dict[int, list[tuple[StorySpec, ArticlePage]]] = {}
        for spec, _digest in batch:
            slug = self.unique_slug(spec.section, spec.slug, None)
            if slug != spec.slug:
                notes.append((spec.label, f"The address {spec.slug!r} was taken: used {slug!r}."))
            self.slugs[spec.section.pk].add(slug)
            live = spec.state == State.LIVE
            page = ArticlePage(slug=slug, live=live, has_unpublished_changes=not live)
            self._fill(page, spec, slug)
            if live:
                page.last_published_at = spec.date
            by_section.setdefault(spec.section.pk, []).append((spec, page))
        pages: dict[str, ArticlePage] = {}
        for pairs in by_section.values():
            section = pairs[0][0].section
            insert_pages(
                section,
                [page for _, page in pairs],
                revisions=True,
                log=True,
                approved_go_live_at=[
                    spec.date if spec.state == State.SCHEDULED else None for spec, _ in pairs
                ],
            )
            pages.update((spec.external_id, page) for spec, page in pairs)
        restrictions = []
        for spec, _digest in batch:
            page = pages[spec.external_id]
            if spec.password:
                restrictions.append(
                    PageViewRestriction(
                        page=page,
                        restriction_type=PageViewRestriction.PASSWORD,
                        password=spec.password,
                    )
                )
            elif spec.login_required:
                restrictions.append(
                    PageViewRestriction(page=page, restriction_type=PageViewRestriction.LOGIN)
                )
        PageViewRestriction.objects.bulk_create(restrictions)
        # The page history records each restriction, as PageViewRestriction.save() does.
        content_type = ContentType.objects.get_for_model(ArticlePage)
        kinds = dict(PageViewRestriction.RESTRICTION_CHOICES)
        PageLogEntry.objects.bulk_create(
            PageLogEntry(
                content_type=content_type,
                label=restriction.page.get_admin_display_title(),
                action="wagtail.view_restriction.create",
                timestamp=timezone.now(),
                page=restriction.page,
                data={
                    "restriction": {
                        "type": restriction.restriction_type,
                        "title": str(kinds.get(restriction.restriction_type)),
                    }
                },
            )
            for restriction in restrictions
        )
        self._redirects_bulk(
            [(spec, pages[spec.external_id]) for spec, _ in batch if spec.state == State.LIVE],
            notes,
        )
        ids = [spec.external_id for spec, _ in batch]
        # A record left without its page (the page was deleted since) is replaced.
        ImportRecord.objects.filter(
            source=self.source, kind=ImportRecord.Kind.STORY, external_id__in=ids
        ).delete()
        records = ImportRecord.objects.bulk_create(
            [
                ImportRecord(
                    source=self.source,
                    kind=ImportRecord.Kind.STORY,
                    external_id=spec.external_id,
                    page=pages[spec.external_id],
                    content_hash=digest,
                    indexed=False,
                )
                for spec, digest in batch
            ]
        )
        if self.records is not None:
            for record in records:
                self.records[record.external_id] = (record.pk, record.page_id, record.content_hash)
        return list(pages.values())

    def _redirects_bulk(self, stories: list[tuple[StorySpec, ArticlePage]], notes: list) -> None:
        """Add the old addresses of live stories as redirects; the first claim on one wins."""
        wanted: dict[str, ArticlePage] = {}
        for spec, page in stories:
            new_path = _served_path(page)
            for url in spec.old_urls:
                old_path = Redirect.normalise_path(url)
                if old_path in ("", "/") or new_path == old_path:
                    continue
                if old_path in wanted:
                    if wanted[old_path].pk != page.pk:
                        notes.append(
                            (spec.label, f"The old address {old_path} already redirects elsewhere.")
                        )
                    continue
                wanted[old_path] = page
        existing = dict(
            Redirect.objects.filter(site=None, old_path__in=list(wanted)).values_list(
                "old_path", "redirect_page_id"
            )
        )
        labels = {page.pk: spec.label for spec, page in stories}
        new = []
        for old_path, page in wanted.items():
            if old_path in existing:
                if existing[old_path] != page.pk:
                    notes.append(
                        (
                            labels[page.pk],
                            f"The old address {old_path} already redirects elsewhere.",
                        )
                    )
                continue
            new.append(Redirect(old_path=old_path, site=None, redirect_page=page))
        Redirect.objects.bulk_create(new)

    def _create(self, spec: StorySpec) -> ArticlePage:
        """Add a new story in the state ``spec`` asks for, with one revision.

        This is what ``save_revision().publish()`` leaves behind, written directly: the
        page row is saved once instead of three times, which matters over thousands
        of stories. ``page_published`` is still sent for live stories.
        """
        slug = self.unique_slug(spec.section, spec.slug, None)
        if slug != spec.slug:
            self.report.note(spec.label, f"The address {spec.slug!r} was taken: used {slug!r}.")
        live = spec.state == State.LIVE
        # Saved as not live first: Wagtail then checks only the title and slug, which is
        # all that can be wrong with fields built here, and the page goes live below.
        page = ArticlePage(slug=slug, live=False, has_unpublished_changes=True)
        self._fill(page, spec, slug)
        spec.section.add_child(instance=page)
        self.slugs[spec.section.pk].add(slug)
        self._restrict(page, spec)
        if live:
            page.live = True
            page.last_published_at = spec.date
        revision = page.save_revision(clean=False, log_action=False, changed=not live)
        if live:
            ArticlePage.objects.filter(pk=page.pk).update(
                live=True,
                live_revision=revision,
                has_unpublished_changes=False,
                last_published_at=spec.date,
            )
            page.live_revision = revision
            page.has_unpublished_changes = False
        elif spec.state == State.SCHEDULED:
            type(revision).objects.filter(pk=revision.pk).update(approved_go_live_at=spec.date)
        if live:  # Wagtail logged the creation itself
            log_action(page, "wagtail.publish", revision=revision, content_changed=True)
            page_published.send(sender=ArticlePage, instance=page, revision=revision)
        return page

    def _update(self, page: ArticlePage, spec: StorySpec) -> None:
        """Save a new revision of an imported story through Wagtail's own publishing."""
        slug = page.slug
        self._fill(page, spec, slug)
        if page.get_parent().pk != spec.section.pk:
            slug = self.unique_slug(spec.section, spec.slug, None)
            page.move(spec.section, pos="last-child")
            page.refresh_from_db()
            self._fill(page, spec, slug)
            self.slugs[spec.section.pk].add(slug)
        self._restrict(page, spec)
        revision = page.save_revision(clean=False)
        self._apply_state(page, revision, spec)

    def update_indexes(self) -> None:
        """Add the stories written and not yet indexed to the search and reference indexes.

        Then ``changes.changed("imported")`` lets the other apps (related stories, page
        caches, vocabularies) catch up once for all the live ones written in bulk (this
        run's, or a crashed run's); stories written one by one were announced as
        published. Records are marked indexed only after all that, so a run cut short
        leaves them for the next run to finish.
        """
        records = ImportRecord.objects.filter(
            source=self.source, kind=ImportRecord.Kind.STORY, indexed=False
        )
        ids = list(records.values_list("pk", "page_id"))
        if not ids:
            return
        # Stories this run wrote in bulk are in the indexes already (see flush); the
        # others (written one by one, or by a run that stopped) are read back here.
        unindexed = [page_id for _, page_id in ids if page_id not in self.indexed]
        live = [
            page_id
            for _, page_id in ids
            if self.indexed.get(page_id) and page_id not in self.signalled
        ]
        progress = self.progress.callback("indexing") if self.progress and unindexed else None
        for start in range(0, len(unindexed), INDEX_BATCH):
            chunk = unindexed[start : start + INDEX_BATCH]
            # Every child relation is prefetched: the reference index reads them all,
            # and one query per relation and page was most of this phase's cost.
            pages = list(
                ArticlePage.objects.filter(pk__in=chunk)
                .select_related("lead_image")
                .prefetch_related(
                    *child_relation_names(ArticlePage),
                    "article_authors__author",
                    "article_topics__topic",
                )
            )
            with transaction.atomic():
                self._index(pages)
            live += [page.pk for page in pages if page.live and page.pk not in self.signalled]
            if progress:
                progress(min(start + INDEX_BATCH, len(unindexed)), len(unindexed))
        if live:
            changes.changed("imported", page_ids=live, progress=self.progress)
        ImportRecord.objects.filter(pk__in=[pk for pk, _ in ids]).update(indexed=True)

    def _index(self, pages: list[ArticlePage]) -> None:
        """Add ``pages`` to the search index and Wagtail's reference index (in a transaction)."""
        for _name, backend in get_search_backends_with_name(with_auto_update=True):
            # Masthead's database backend writes the same entries as add_bulk from the
            # objects in memory, each field prepared once (masthead.search.bulk_index).
            add = getattr(backend, "add_bulk_in_memory", None) or backend.add_bulk
            add(ArticlePage, pages)
        index_references(pages)

    def _fill(self, page: ArticlePage, spec: StorySpec, slug: str) -> None:
        page.title = spec.title
        page.slug = slug
        page.standfirst = spec.standfirst
        page.body = spec.body
        page.lead_image = spec.lead_image
        page.lead_image_caption = spec.lead_image_caption
        page.lead_image_credit = spec.lead_image_credit
        page.source_name = spec.source_name
        page.source_url = spec.source_url
        page.article_authors = [
            ArticleAuthor(author=author, sort_order=i) for i, author in enumerate(spec.authors)
        ]
        page.article_topics = [
            ArticleTopic(topic=topic, sort_order=i) for i, topic in enumerate(spec.topics)
        ]
        if spec.state == State.SCHEDULED:
            page.go_live_at = spec.date
        else:
            page.go_live_at = None
        if spec.state == State.LIVE:
            page.first_published_at = spec.date

    def _restrict(self, page: ArticlePage, spec: StorySpec) -> None:
        # Restrictions are only ever added: removing one an editor set could expose a story.
        if spec.password:
            PageViewRestriction.objects.update_or_create(
                page=page,
                restriction_type=PageViewRestriction.PASSWORD,
                defaults={"password": spec.password},
            )
        elif spec.login_required:
            PageViewRestriction.objects.get_or_create(
                page=page, restriction_type=PageViewRestriction.LOGIN
            )

    def _apply_state(self, page: ArticlePage, revision, spec: StorySpec) -> None:
        if spec.state == State.DRAFT:
            if page.live:
                page.unpublish(log_action=False)
            return
        revision.publish(log_action=False, previous_revision=None)
        if spec.state == State.LIVE:
            ArticlePage.objects.filter(pk=page.pk).update(
                first_published_at=spec.date, last_published_at=spec.date
            )
            page.first_published_at = page.last_published_at = spec.date

    def _redirect(self, page: ArticlePage, spec: StorySpec) -> None:
        new_path = _served_path(page)
        for url in spec.old_urls:
            old_path = Redirect.normalise_path(url)
            if old_path in ("", "/") or new_path == old_path:
                continue
            redirect, created = Redirect.objects.get_or_create(
                old_path=old_path, site=None, defaults={"redirect_page": page}
            )
            if not created and redirect.redirect_page_id != page.pk:
                self.report.note(
                    spec.label, f"The old address {old_path} already redirects elsewhere."
                )

    def run(self, label: str, kind: str, items: list, handle) -> None:
        """Call ``handle(item)`` for each item with the progress bar; skip failures."""
        if self.progress:
            self.progress.start(label, kind, len(items))
        for done, item in enumerate(items, start=1):
            try:
                handle(item)
            except ItemError as exc:
                self.report.skip(kind, getattr(item, "label", str(item)), str(exc))
            if self.progress and done < len(items):
                self.progress.update(done)
        self.flush()  # then the bar's last line shows the final counts
        if self.progress:
            self.progress.update(len(items))
        self.update_indexes()


def _served_path(page: Page) -> str:
    """Return the normalised path a page is served at, below the site's root page.

    An old address is only skipped when it is the new one: ``/budget`` must still
    redirect to ``/news/budget/`` (comparing the ends of the two paths took them for one).
    """
    parts = page.url_path.strip("/").split("/")[1:]  # without the root page's slug
    return Redirect.normalise_path("/" + "/".join(parts) + "/")


def _media_candidates(media_dir: Path, url_path: str) -> list[Path]:
    """Return where an uploads URL path may live in the media folder, inside it only."""
    parts = [p for p in PurePosixPath(url_path).parts if p not in ("/", "", ".", "..")]
    after = parts[-1:]
    if "uploads" in parts:
        after = parts[len(parts) - parts[::-1].index("uploads") :]
    options = [after, parts, parts[-1:]]
    candidates = []
    for option in options:
        if not option:
            continue
        candidate = media_dir.joinpath(*option).resolve()
        if candidate.is_relative_to(media_dir):
            candidates.append(candidate)
    return candidates


def _file_problem(filename: str, data: bytes) -> str | None:
    """Return why ``data`` is not the file its name says, or None.

    Documents go through the same check as uploads in the admin
    (``masthead.core.uploads.sniff_problem``); audio and video only have to be something
    other than a web page, which is what a missing file's address often answers with.
    """
    problem = sniff_problem(filename, io.BytesIO(data))
    if problem:
        return str(problem)
    if data[:1024].lstrip(b"\xef\xbb\xbf\r\n\t ").lower().startswith(MARKUP):
        return "this is a web page, not the file."
    if not data:
        return "the file is empty."
    return None


def _check_image(data: bytes, filename: str) -> str:
    """Return a safe file name for ``data``; raise ItemError unless it is a usable image."""
    try:
        with PILImage.open(io.BytesIO(data)) as probe:
            fmt = probe.format or ""
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ItemError(f"{filename or 'The file'} is not a readable image ({exc}).") from None
    except PILImage.DecompressionBombError:
        raise ItemError(f"{filename} has too many pixels to be a photo.") from None
    if fmt not in IMAGE_FORMATS:
        raise ItemError(f"{filename} is a {fmt or 'unknown'} file; JPEG, PNG, GIF and WebP are.")
    if width * height > MAX_PIXELS:
        raise ItemError(f"{filename} has too many pixels ({width}x{height}).")
    stem = slugify(PurePosixPath(filename).stem)[:80] or "image"
    extension = mimetypes.guess_extension(PILImage.MIME.get(fmt, "image/jpeg")) or ".jpg"
    return f"{stem}{extension}"


def now() -> dt.datetime:
    return timezone.now()
