"""Import a WordPress export: attachments become images, posts become stories."""

import re
from collections import Counter
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.utils import timezone
from django.utils.text import slugify
from wagtail.contrib.redirects.models import Redirect

from masthead.core import site_address

from .convert import SIZE_SUFFIX, first_sentence, html_to_blocks, plain_text, truncate
from .errors import ItemError
from .report import ProgressBar, Report
from .service import STANDFIRST_MAX, TITLE_MAX, State, StorySpec, StoryWriter
from .wordpress_pages import PageImporter
from .wxr import WxrExport, WxrItem, parse_wxr

CREDIT_META_KEYS = ("_media_credit", "media_credit", "_credit", "credit", "_wp_attachment_credit")
SKIPPED_STATUSES = {
    "trash": "It is in the WordPress trash.",
    "auto-draft": "It is an empty auto-draft WordPress made by itself.",
    "inherit": "It is a revision of another post.",
}
UNCATEGORISED = {"uncategorized", "uncategorised"}
# Attachments imported as pictures; others (audio, video, PDFs) are imported when a
# story shows them (``find_file``).
IMAGE_EXTENSIONS = {"jpg", "jpeg", "jpe", "png", "gif", "webp"}


class WordPressImport:
    """One run of ``masthead import wordpress``."""

    def __init__(
        self,
        export: WxrExport,
        writer: StoryWriter,
        *,
        categories: str = "topics",
    ):
        self.export = export
        self.writer = writer
        self.report = writer.report
        self.categories = categories
        self.attachments: dict[str, WxrItem] = {}
        self.images: dict[str, object] = {}
        self.images_by_url: dict[str, object] = {}
        self.children: dict[str, list[str]] = {}
        self.files: dict[str, object] = {}  # URL -> media or document, or None
        self.old_host = urlsplit(export.site_url or export.base_site_url).netloc.lower()
        self.old_paths = self._old_paths()
        self.attachment_titles: dict[str, str] = {}  # URL of a file attachment -> title
        self.now = timezone.now()

    def run(self) -> Report:
        items = self.export.items
        attachments = [i for i in items if i.post_type == "attachment"]
        posts = [i for i in items if i.post_type == "post"]
        pages = [i for i in items if i.post_type == "page"]
        menu_items = [i for i in items if i.post_type == "nav_menu_item"]
        for item in items:
            if item.post_type not in ("attachment", "post", "page", "nav_menu_item"):
                self.report.skip(
                    "other",
                    item.label,
                    f"WordPress {item.post_type} items are not imported as stories.",
                )
        pictures = []
        for item in attachments:
            url = item.attachment_url or item.guid
            if _extension(url) in IMAGE_EXTENSIONS or not _extension(url):
                pictures.append(item)
                self.attachments[item.post_id] = item
                self.children.setdefault(item.parent_id, []).append(item.post_id)
            else:
                self.attachment_titles[_url_key(url)] = plain_text(item.title)
        for login, author in self.export.authors.items():
            self.writer.author_for(login, author.name)
        self.writer.run("images", "image", pictures, self.import_attachment)
        self.writer.run("stories", "story", posts, self.import_post)
        pages_importer = PageImporter(self)
        if pages:
            pages_importer.run(pages)
        if menu_items:
            names = {t.slug: t.name for t in self.export.terms if t.kind == "nav_menu"}
            pages_importer.import_menu(menu_items, names)
        self.report_unused_files(attachments)
        return self.report

    def report_unused_files(self, attachments: list[WxrItem]) -> None:
        used = {_url_key(url) for url in self.files}
        for item in attachments:
            url = item.attachment_url or item.guid
            if item.post_id in self.attachments or _url_key(url) in used:
                continue
            self.report.skip(
                "other",
                item.label,
                "No imported story shows this file (audio, video or document): it was not "
                "imported. Stories that only link to it still link to the old address.",
            )

    # Attachments ---------------------------------------------------------------------

    def import_attachment(self, item: WxrItem) -> None:
        url = item.attachment_url or item.guid
        if not item.post_id or not url:
            raise ItemError("The attachment has no id or no file address.")
        credit = next((item.meta[k] for k in CREDIT_META_KEYS if item.meta.get(k)), "")
        if not credit:
            match = re.search(
                r'"credit";s:\d+:"([^"]*)"', item.meta.get("_wp_attachment_metadata", "")
            )
            credit = match.group(1) if match else ""
        image = self.writer.save_image(
            item.post_id,
            url,
            title=plain_text(item.title),
            caption=plain_text(item.excerpt),
            credit=plain_text(credit),
            alt=plain_text(item.meta.get("_wp_attachment_image_alt", "")),
        )
        if image is not None:
            self.images[item.post_id] = image
            self.images_by_url[_url_key(url)] = image

    def find_image(self, url: str, attachment_id: str):
        if attachment_id and attachment_id in self.images:
            return self.images[attachment_id], None
        if url and _url_key(url) in self.images_by_url:
            return self.images_by_url[_url_key(url)], None
        if attachment_id in self.attachments:
            return None, f"Attachment {attachment_id} is missing, so its image was removed."
        if url:
            return self.writer.image_from_url(url)
        return None, f"Image {attachment_id} is not in the export and was removed."

    def find_file(self, url: str, kind: str):
        """Return (media or document, None) for a file a story shows, or (None, reason)."""
        if url not in self.files:
            title = self.attachment_titles.get(_url_key(url), "")
            try:
                self.files[url] = self.writer.save_file(kind, url, title)
            except ItemError as exc:
                self.files[url] = None
                self.report.skip("media" if kind != "document" else "document", url, str(exc))
                return None, str(exc)
        found = self.files[url]
        return found, None if found is not None else "it could not be imported"

    # Links -----------------------------------------------------------------------------

    def _old_paths(self) -> set[str]:
        """Return the old addresses (normalised paths) that will redirect to a new page.

        Only published items get redirects (``StoryWriter._redirects_bulk``), so only
        links to them are rewritten.
        """
        paths = set()
        for item in self.export.items:
            if item.post_type not in ("post", "page") or item.status not in ("publish", "private"):
                continue
            for url in (item.link, _query_link(item)):
                if url:
                    paths.add(Redirect.normalise_path(url))
        paths.discard("/")
        paths.discard("")
        return paths

    def rewrite_link(self, href: str) -> str:
        """Return the address on the new site of a link to an imported post of the old one.

        The new address is the old path on the site's own address
        (``masthead.core.site_address``), where the import's redirect leads to the story
        whatever its new slug or section. Every other link is left as it is.
        """
        parts = urlsplit(href.strip())
        if parts.scheme not in ("", "http", "https") or (
            parts.netloc and parts.netloc.lower() != self.old_host
        ):
            return href
        if not parts.netloc and not parts.path.startswith("/"):
            return href  # a relative link or an anchor: nothing known to rewrite
        path = Redirect.normalise_path(href)
        if path not in self.old_paths:
            return href
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        if parts.fragment:
            target += "#" + parts.fragment
        return site_address.absolute(target)

    # Posts ---------------------------------------------------------------------------

    def import_post(self, item: WxrItem) -> None:
        label = item.label
        if not item.post_id:
            raise ItemError("The post has no wp:post_id, so it cannot be imported twice safely.")
        if item.status in SKIPPED_STATUSES:
            raise ItemError(SKIPPED_STATUSES[item.status])
        spec = self.spec(item, label)
        outcome = self.writer.write_story(spec)
        if outcome:  # else queued: counted when its batch is written
            self.report.count("story", outcome)

    def spec(self, item: WxrItem, label: str) -> StorySpec:
        conversion = html_to_blocks(
            item.content,
            self.find_image,
            self.children.get(item.post_id),
            self.find_file,
            self.rewrite_link,
        )
        for note in conversion.notes:
            self.report.note(label, note, conversion.kinds.get(note, "changed"))
        if conversion.notes:
            self.report.converted[label] = Counter(b["type"] for b in conversion.blocks)
        body_text = next(
            (plain_text(b["value"]) for b in conversion.blocks if b["type"] == "paragraph"), ""
        )
        title = plain_text(item.title)
        if not title:
            title = first_sentence(plain_text(item.excerpt) or body_text, 100) or (
                f"Untitled post {item.post_id}"
            )
            self.report.note(label, "The post has no title: the headline was made from its text.")
        if len(title) > TITLE_MAX:
            self.report.note(label, "The title was longer than 255 characters and was shortened.")
            title = truncate(title, TITLE_MAX)
        standfirst = plain_text(item.excerpt)
        if len(standfirst) > STANDFIRST_MAX:
            self.report.note(label, "The excerpt was longer than 320 characters and was shortened.")
        standfirst = (
            truncate(standfirst, STANDFIRST_MAX)
            or first_sentence(body_text, STANDFIRST_MAX)
            or truncate(title, STANDFIRST_MAX)
        )
        slug = (
            slugify(unquote(item.slug), allow_unicode=True)
            or slugify(title, allow_unicode=True)
            or f"post-{item.post_id}"
        )[:255]
        section, topics = self.terms(item)
        state, date = self.state(item, label)
        lead, caption, credit = self.lead_image(item, label)
        authors = []
        if item.creator:
            known = self.export.authors.get(item.creator)
            authors.append(
                self.writer.author_for(item.creator, known.name if known else item.creator)
            )
        old_urls = [u for u in (item.link, _query_link(item)) if u]
        return StorySpec(
            external_id=item.post_id,
            label=label,
            title=title,
            slug=slug,
            standfirst=standfirst,
            body=conversion.blocks,
            section=section,
            state=state,
            date=date,
            lead_image=lead,
            lead_image_caption=caption,
            lead_image_credit=credit,
            authors=authors,
            topics=topics,
            login_required=item.status == "private",
            password=item.password,
            old_urls=old_urls,
        )

    def terms(self, item: WxrItem):
        section = None
        topics = []
        for term in item.terms:
            key = (term.slug or term.name).lower()
            if term.kind == "category" and key in UNCATEGORISED:
                continue
            if term.kind == "category" and self.categories == "sections" and section is None:
                section = self.writer.section_for(term.slug, term.name)
                continue
            topic = self.writer.topic_for(term.slug, term.name)
            if topic is not None and topic not in topics:
                topics.append(topic)
        return section or self.writer.default_section, topics

    def state(self, item: WxrItem, label: str):
        date = item.date
        if date is None:
            date = self.now
            self.report.note(label, "The post has no date: the import time was used.")
        if item.status == "future":
            if date > self.now:
                return State.SCHEDULED, date
            self.report.note(label, "Its scheduled time has passed: it was published.")
            return State.LIVE, date
        if item.status in ("publish", "private"):
            return State.LIVE, date
        return State.DRAFT, date

    def lead_image(self, item: WxrItem, label: str):
        thumbnail = item.meta.get("_thumbnail_id", "").strip()
        if not thumbnail:
            return None, "", ""
        image = self.images.get(thumbnail)
        if image is None:
            self.report.note(label, f"Its featured image (attachment {thumbnail}) is missing.")
            return None, "", ""
        attachment = self.attachments[thumbnail]
        return image, image.caption or plain_text(attachment.excerpt)[:400], image.credit


def _url_key(url: str) -> str:
    """Return the URL of the original upload, without host or size suffix."""
    return SIZE_SUFFIX.sub(r"\1", unquote(urlsplit(url).path))


def _extension(url: str) -> str:
    return PurePosixPath(unquote(urlsplit(url).path)).suffix.lower().lstrip(".")


def _query_link(item: WxrItem) -> str:
    return f"/?p={item.post_id}" if item.post_id.isdigit() else ""


def source_for(export: WxrExport, path: Path) -> str:
    """Return the ImportRecord source of an export: its site address, else its file name."""
    site = export.site_url or export.base_site_url
    if site:
        parts = urlsplit(site)
        return f"wordpress:{parts.netloc}{parts.path.rstrip('/')}"
    return f"wordpress:file:{path.name}"


def import_wordpress(
    path: Path,
    *,
    media_dir: Path | None = None,
    dry_run: bool = False,
    categories: str = "topics",
    section: str = "",
    download: bool = True,
    progress: bool = True,
    batch_size: int | None = None,
) -> Report:
    """Import a WXR file and return the report; the whole file is parsed first."""
    export = parse_wxr(path)
    from .runner import run_import

    def make(writer: StoryWriter) -> Report:
        return WordPressImport(export, writer, categories=categories).run()

    return run_import(
        source_for(export, path),
        make,
        dry_run=dry_run,
        media_dir=media_dir,
        section=section,
        download=download,
        progress=ProgressBar if progress else None,
        batch_size=batch_size,
    )
