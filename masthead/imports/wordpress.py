"""Import a WordPress export: attachments become images, posts become stories."""

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from django.utils import timezone
from django.utils.text import slugify
from wagtail.contrib.redirects.models import Redirect

from masthead.core import site_address

from .convert import SIZE_SUFFIX, first_sentence, html_to_blocks, plain_text, truncate
from .errors import ImportFileError, ItemError
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


# Co-Authors Plus keeps its guest authors (bylines without a WordPress account) as
# items of this type, exported with "All content": name, bio, and picture (featured image).
GUEST_AUTHOR = "guest-author"
BIO_MAX = 2000


@dataclass
class AuthorProfile:
    """What the export (or the site's users list) says of an author beyond the name."""

    name: str = ""
    bio: str = ""
    picture_id: str = ""  # an attachment of the export
    picture_url: str = ""  # an avatar address (downloaded under the usual rules)


def author_profiles(export: WxrExport, users: list[dict] | None = None) -> dict[str, AuthorProfile]:
    """Return the bios and pictures of the export's authors, by login.

    A WXR file carries no author bio or picture (WordPress exports the login, names and
    e-mail only). They come from Co-Authors Plus guest authors in the export
    (``cap-description``, featured image), and from the site's public users list
    (``/wp-json/wp/v2/users``: ``description``, ``avatar_urls``) given as ``users``,
    matched by user id, then by slug or login, then by display name.
    """
    profiles: dict[str, AuthorProfile] = {}
    for item in export.items:
        if item.post_type != GUEST_AUTHOR:
            continue
        login = item.meta.get("cap-user_login") or item.slug.removeprefix("cap-")
        if not login:
            continue
        profiles[login] = AuthorProfile(
            name=plain_text(item.meta.get("cap-display_name", "") or item.title),
            bio=plain_text(item.meta.get("cap-description", "")),
            picture_id=item.meta.get("_thumbnail_id", "").strip(),
        )
    by_id = {a.author_id: login for login, a in export.authors.items() if a.author_id}
    by_slug = {slugify(login): login for login in export.authors}
    by_name = {a.name: login for login, a in export.authors.items()}
    for user in users or []:
        if not isinstance(user, dict):
            continue
        login = (
            by_id.get(str(user.get("id", "")))
            or by_slug.get(slugify(str(user.get("slug", ""))))
            or by_name.get(str(user.get("name", "")))
        )
        if not login:
            continue
        profile = profiles.setdefault(login, AuthorProfile(name=str(user.get("name") or "")))
        profile.bio = profile.bio or plain_text(str(user.get("description") or ""))
        if not profile.picture_id and not profile.picture_url:
            profile.picture_url = avatar_url(user.get("avatar_urls"))
    for profile in profiles.values():
        profile.bio = truncate(profile.bio, BIO_MAX)
    return profiles


def avatar_url(urls) -> str:
    """Return the largest avatar of a users-list entry, asked for large and for real.

    Gravatar addresses get ``s=512`` and ``d=404``: without ``d=404`` an author who set
    no picture would get Gravatar's stand-in silhouette as their byline picture.
    """
    if not isinstance(urls, dict) or not urls:
        return ""
    sizes = sorted(urls, key=lambda k: int(k) if str(k).isdigit() else 0)
    url = str(urls[sizes[-1]] or "")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return ""
    if (parts.hostname or "").endswith("gravatar.com"):
        query = dict(parse_qsl(parts.query))
        query.update({"s": "512", "d": "404"})
        url = urlunsplit(parts._replace(query=urlencode(query)))
    return url


def read_users(path: Path) -> list[dict]:
    """Return the entries of a saved ``/wp-json/wp/v2/users`` answer (a JSON list)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot read the file ({exc.strerror}).") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportFileError(f"{path}: this is not a JSON users list ({exc}).") from None
    if not isinstance(data, list):
        raise ImportFileError(
            f"{path}: this is not a users list (a JSON list, as /wp-json/wp/v2/users gives)."
        )
    return [entry for entry in data if isinstance(entry, dict)]


class WordPressImport:
    """One run of ``masthead import wordpress``."""

    def __init__(
        self,
        export: WxrExport,
        writer: StoryWriter,
        *,
        categories: str = "topics",
        users: list[dict] | None = None,
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
        self.file_problems: dict[str, str] = {}  # URL -> why it could not be imported
        self.old_host = urlsplit(export.site_url or export.base_site_url).netloc.lower()
        self.old_paths = self._old_paths()
        self.attachment_titles: dict[str, str] = {}  # URL of a file attachment -> title
        self.now = timezone.now()
        self.users: list[dict] = users or []

    def run(self) -> Report:
        items = self.export.items
        attachments = [i for i in items if i.post_type == "attachment"]
        posts = [i for i in items if i.post_type == "post"]
        pages = [i for i in items if i.post_type == "page"]
        menu_items = [i for i in items if i.post_type == "nav_menu_item"]
        for item in items:
            if item.post_type not in ("attachment", "post", "page", "nav_menu_item", GUEST_AUTHOR):
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
        self.writer.run("images", "image", pictures, self.import_attachment)
        # After the pictures: an author's picture is an attachment (a guest author's
        # featured image) or an avatar address.
        profiles = author_profiles(self.export, self.users)
        for login, author in self.export.authors.items():
            self.import_author(login, author.name, profiles.get(login))
        for login, profile in profiles.items():
            if login not in self.export.authors:
                self.import_author(login, profile.name or login, profile)
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

    # Authors -------------------------------------------------------------------------

    def import_author(self, login: str, name: str, profile: "AuthorProfile | None") -> None:
        bio, photo = "", None
        if profile is not None:
            bio = profile.bio
            if profile.picture_id:
                photo = self.images.get(profile.picture_id)
                if photo is None:
                    self.report.note(
                        f"author {login!r}",
                        f"Their picture (attachment {profile.picture_id}) could not be "
                        "imported: the byline has no picture.",
                        "dropped",
                    )
            elif profile.picture_url:
                photo, note = self.writer.image_from_url(profile.picture_url)
                if note:
                    self.report.note(
                        f"author {login!r}",
                        f"Their picture could not be imported ({note}): the byline has none.",
                        "dropped",
                    )
        self.writer.author_for(login, name, bio=bio, photo=photo)

    def byline(self, login: str):
        known = self.export.authors.get(login)
        return self.writer.author_for(login, known.name if known else login)

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
                self.file_problems[url] = str(exc).rstrip(".")
                self.report.skip("media" if kind != "document" else "document", url, str(exc))
        found = self.files[url]
        # The same reason each time a story shows the file, so the report says it once.
        return found, None if found is not None else self.file_problems.get(url)

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
        # Co-Authors Plus: the post's bylines, in order (the term's name is the login).
        for term in item.terms:
            if term.kind == "author":
                login = term.name or term.slug.removeprefix("cap-")
                author = self.byline(login)
                if author not in authors:
                    authors.append(author)
        if item.creator and not authors:
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
            if term.kind not in ("category", "post_tag"):
                continue
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
    users: Path | None = None,
) -> Report:
    """Import a WXR file and return the report; the whole file is parsed first.

    ``users`` is a saved ``/wp-json/wp/v2/users`` answer: the authors' bios and avatars.
    """
    export = parse_wxr(path)
    user_list = read_users(users) if users is not None else None
    from .runner import run_import

    def make(writer: StoryWriter) -> Report:
        return WordPressImport(export, writer, categories=categories, users=user_list).run()

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
