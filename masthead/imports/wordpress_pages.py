"""WordPress pages become the site's information pages, the primary menu its header menu.

Pages keep their parent and their order (``menu_order``, then title). About, contact and
policy pages get the kind the footer and the structured data look for, from their slug
or title. Each page is written in its own transaction with its ImportRecord, so a crash
leaves whole pages and the next run carries on; an unchanged page is left alone.
"""

import hashlib
import json
import re
from dataclasses import dataclass

from django.db import DatabaseError, transaction
from django.utils.text import slugify
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction, Site

from masthead.core import site_address
from masthead.navigation.models import Menus
from masthead.pages.models import InformationPage

from .convert import html_to_blocks, plain_text, truncate
from .errors import ItemError
from .models import ImportRecord
from .wxr import WxrItem

# Slugs and title words that say what a page is, checked in this order.
KINDS = [
    (InformationPage.Kind.CORRECTIONS, ("correction",)),
    (InformationPage.Kind.ETHICS, ("ethic", "standards", "editorial-polic", "code-of-conduct")),
    (InformationPage.Kind.OWNERSHIP, ("ownership", "funding", "funders", "who-funds")),
    (InformationPage.Kind.DIVERSITY, ("diversity",)),
    (InformationPage.Kind.PRIVACY, ("privacy", "cookie")),
    (InformationPage.Kind.MASTHEAD, ("masthead", "our-team", "staff", "team")),
    (InformationPage.Kind.CONTACT, ("contact",)),
    (InformationPage.Kind.ABOUT, ("about",)),
]
PRIMARY = re.compile(r"primary|main|header|top|navigation|menu-1", re.I)
LIVE_STATUSES = ("publish", "private")
MAX_DEPTH = 20


def page_kind(slug: str, title: str) -> str:
    """Return the InformationPage kind a page's slug or title names, else "other"."""
    key = f"{slugify(slug)}-{slugify(title)}"
    for kind, words in KINDS:
        if any(word in key for word in words):
            return kind
    return InformationPage.Kind.OTHER


@dataclass
class PageSpec:
    item: WxrItem
    parent: Page
    kind: str
    body: list
    notes: list[tuple[str, str]]

    def content_hash(self) -> str:
        data = [
            self.item.title,
            self.item.slug,
            self.item.excerpt,
            self.item.status,
            self.item.password,
            self.kind,
            self.body,
            self.parent.pk,
        ]
        encoded = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(encoded.encode()).hexdigest()


def ordered_pages(items: list[WxrItem], report) -> list[tuple[WxrItem, str]]:
    """Return the pages parents first, siblings in WordPress's order, with their parent id.

    A parent that is not in the export, or a cycle in ``post_parent``, makes the page a
    top-level page, and the report says so.
    """
    by_id = {item.post_id: item for item in items}
    parent_of: dict[str, str] = {}
    for item in items:
        parent = item.parent_id if item.parent_id not in ("", "0") else ""
        if parent and parent not in by_id:
            report.note(
                item.label,
                f"Its parent page {parent} is not in the export: it is a top-level page.",
            )
            parent = ""
        parent_of[item.post_id] = parent
    for item in items:
        seen, current = {item.post_id}, parent_of[item.post_id]
        while current:
            if current in seen or len(seen) > MAX_DEPTH:
                report.note(
                    item.label,
                    "Its parent pages form a loop (post_parent): it became a top-level page.",
                )
                parent_of[item.post_id] = ""
                break
            seen.add(current)
            current = parent_of[current]
    children: dict[str, list[WxrItem]] = {}
    for item in items:
        children.setdefault(parent_of[item.post_id], []).append(item)
    for siblings in children.values():
        siblings.sort(key=lambda i: (_int(i.menu_order), plain_text(i.title).lower(), i.post_id))
    result: list[tuple[WxrItem, str]] = []

    def visit(parent: str) -> None:
        for child in children.get(parent, []):
            result.append((child, parent))
            visit(child.post_id)

    visit("")
    return result


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class PageImporter:
    """Write WordPress pages as InformationPages under the home page, and the menu."""

    def __init__(self, wordpress):
        self.wp = wordpress  # the WordPressImport: finders, link rewriting, report
        self.writer = wordpress.writer
        self.report = wordpress.report
        self.home = self.writer.home
        self.pages: dict[str, Page] = {}  # WordPress page id -> page written or found
        self.nestable = InformationPage in InformationPage.allowed_subpage_models()

    # Pages ---------------------------------------------------------------------------

    def run(self, items: list[WxrItem]) -> None:
        entries = [_Entry(item, parent) for item, parent in ordered_pages(items, self.report)]
        self.writer.run("pages", "page", entries, self.import_page)

    def parent_for(self, item: WxrItem, parent_id: str) -> Page:
        if not parent_id:
            return self.home
        parent = self.pages.get(parent_id)
        if parent is None:
            self.report.note(
                item.label, f"Its parent page {parent_id} was not imported: it is a top-level page."
            )
            return self.home
        if not self.nestable:
            self.report.note(
                item.label,
                f"Its parent page ({parent.title}) cannot hold pages here: it was placed beside "
                "it under the home page, in the same order.",
            )
            return self.home
        return parent

    def import_page(self, entry: "_Entry") -> None:
        from .wordpress import SKIPPED_STATUSES

        item = entry.item
        if not item.post_id:
            raise ItemError("The page has no wp:post_id, so it cannot be imported twice safely.")
        if item.status in SKIPPED_STATUSES:
            raise ItemError(SKIPPED_STATUSES[item.status])
        parent = self.parent_for(item, entry.parent)
        conversion = html_to_blocks(
            item.content,
            self.wp.find_image,
            self.wp.children.get(item.post_id),
            self.wp.find_file,
            self.wp.rewrite_link,
        )
        for note in conversion.notes:
            self.report.note(item.label, note, conversion.kinds.get(note, "changed"))
        title = truncate(plain_text(item.title) or f"Page {item.post_id}", 255)
        kind = page_kind(item.slug, title)
        spec = PageSpec(item, parent, kind, conversion.blocks, [])
        digest = spec.content_hash()
        record = (
            ImportRecord.objects.filter(
                source=self.writer.source, kind=ImportRecord.Kind.PAGE, external_id=item.post_id
            )
            .select_related("page")
            .first()
        )
        page = record.page.specific if record and record.page else None
        if page is not None and record.content_hash == digest:
            self.pages[item.post_id] = page
            self.report.count("page", "unchanged")
            return
        try:
            with transaction.atomic():
                outcome = "updated" if page is not None else "created"
                page = self._write(page, spec, title)
                ImportRecord.objects.update_or_create(
                    source=self.writer.source,
                    kind=ImportRecord.Kind.PAGE,
                    external_id=item.post_id,
                    defaults={"page": page, "content_hash": digest},
                )
        except (DatabaseError, ValueError) as exc:
            raise ItemError(f"It could not be saved ({exc.__class__.__name__}: {exc}).") from exc
        self.pages[item.post_id] = page
        self.report.count("page", outcome)

    def _write(self, page, spec: PageSpec, title: str) -> InformationPage:
        item = spec.item
        live = item.status in LIVE_STATUSES
        wanted = slugify(item.slug, allow_unicode=True)[:255] or slugify(title)[:255] or "page"
        if page is None:
            slug = self._unique_slug(spec.parent, wanted, item)
            page = InformationPage(title=title, slug=slug, live=False)
            self._fill(page, spec, title)
            spec.parent.add_child(instance=page)
        else:
            self._fill(page, spec, title)
            if page.get_parent().pk != spec.parent.pk:
                page.move(spec.parent, pos="last-child")
                page.refresh_from_db()
                self._fill(page, spec, title)
        revision = page.save_revision(clean=False)
        if live:
            revision.publish()
        elif page.live:
            page.unpublish()
        if item.password:
            PageViewRestriction.objects.update_or_create(
                page=page,
                restriction_type=PageViewRestriction.PASSWORD,
                defaults={"password": item.password},
            )
        elif item.status == "private":
            PageViewRestriction.objects.get_or_create(
                page=page, restriction_type=PageViewRestriction.LOGIN
            )
        if live and item.link:
            old_path = Redirect.normalise_path(item.link)
            page.refresh_from_db()
            if old_path not in ("", "/") and not page.url_path.rstrip("/").endswith(old_path):
                redirect, created = Redirect.objects.get_or_create(
                    old_path=old_path, site=None, defaults={"redirect_page": page}
                )
                if not created and redirect.redirect_page_id != page.pk:
                    self.report.note(
                        item.label, f"The old address {old_path} already redirects elsewhere."
                    )
        return page

    def _fill(self, page: InformationPage, spec: PageSpec, title: str) -> None:
        page.title = title
        page.kind = spec.kind
        page.standfirst = truncate(plain_text(spec.item.excerpt), 320)
        page.body = spec.body

    def _unique_slug(self, parent: Page, wanted: str, item: WxrItem) -> str:
        taken = set(Page.objects.child_of(parent).values_list("slug", flat=True))
        slug, n = wanted, 1
        while slug in taken:
            n += 1
            slug = f"{wanted[:250]}-{n}"
        if slug != wanted:
            self.report.note(item.label, f"The address {wanted!r} was taken: used {slug!r}.")
        return slug

    # Menus ---------------------------------------------------------------------------

    def import_menu(self, items: list[WxrItem], menu_names: dict[str, str]) -> None:
        # Called after the pages and stories, so links can point at what was imported.
        """Make the export's primary menu the header menu; report every item left out."""
        by_menu: dict[str, list[WxrItem]] = {}
        for item in items:
            for term in item.terms:
                if term.kind == "nav_menu":
                    by_menu.setdefault(term.slug or term.name, []).append(item)
        if not by_menu:
            return
        chosen = self._primary(by_menu, menu_names)
        for slug in by_menu:
            if slug != chosen:
                self.report.skip(
                    "menu",
                    f"menu {menu_names.get(slug, slug)!r}",
                    "Only the primary menu becomes the header menu; add this one's links in "
                    "Settings > Menus if you need them.",
                )
        label = f"menu {menu_names.get(chosen, chosen)!r}"
        entries = sorted(by_menu[chosen], key=lambda i: (_int(i.menu_order), i.post_id))
        links = []
        for item in entries:
            link = self._link(item, label)
            if link is not None:
                links.append({"type": "link", "value": link})
        self._save_header(label, links)

    def _primary(self, by_menu: dict[str, list[WxrItem]], names: dict[str, str]) -> str:
        for slug in by_menu:
            if PRIMARY.search(slug) or PRIMARY.search(names.get(slug, "")):
                return slug
        # No menu says it is the main one (WXR does not export theme locations): the one
        # with the most top-level links.
        return max(
            by_menu,
            key=lambda s: sum(
                1 for i in by_menu[s] if i.meta.get("_menu_item_menu_item_parent", "0") in ("", "0")
            ),
        )

    def _link(self, item: WxrItem, label: str) -> dict | None:
        meta = item.meta
        text = truncate(plain_text(item.title), 60)
        if meta.get("_menu_item_menu_item_parent", "0") not in ("", "0"):
            self.report.note(
                label,
                f"The sub-item {text or item.post_id!r} was left out: the header menu has one level.",
                "dropped",
            )
            return None
        kind, target = meta.get("_menu_item_type", ""), meta.get("_menu_item_object_id", "")
        if kind == "post_type":
            page = self.pages.get(target) or self._story(target)
            if page is None:
                self.report.note(
                    label,
                    f"The link {text or target!r} points at page {target}, which was not "
                    "imported: it was left out.",
                    "dropped",
                )
                return None
            return {"label": text, "page": page.pk, "url": ""}
        url = meta.get("_menu_item_url", "")
        if kind == "taxonomy" and text:
            url = self._term_url(text) or url
        url = self.wp.rewrite_link(url) if url else ""
        if url.startswith("/"):
            url = site_address.absolute(url)
        if not url.startswith(("http://", "https://")):
            self.report.note(
                label,
                f"The link {text or item.post_id!r} has no usable address: left out.",
                "dropped",
            )
            return None
        if not text:
            self.report.note(label, f"The link to {url} has no label: left out.", "dropped")
            return None
        return {"label": text, "page": None, "url": url}

    def _story(self, post_id: str) -> Page | None:
        record = ImportRecord.objects.filter(
            source=self.writer.source, kind=ImportRecord.Kind.STORY, external_id=post_id
        ).first()
        return Page.objects.filter(pk=record.page_id).first() if record else None

    def _term_url(self, name: str) -> str:
        """Return the address of the section or topic a category or tag link named."""
        section = self.writer.sections.get(slugify(name, allow_unicode=True))
        if section is not None:
            return section.url or ""
        topic = self.writer.topic_for("", name)
        return topic.get_absolute_url() if topic is not None else ""

    def _save_header(self, label: str, links: list[dict]) -> None:
        """Set the header menu, unless an editor changed the one an import set (or set one).

        The record keeps the digest of the links written; a header whose links still
        have that digest is the import's own, and is replaced when the menu changed.
        """
        site = (
            Site.objects.filter(root_page=self.home).first()
            or Site.objects.filter(is_default_site=True).first()
        )
        if site is None:
            self.report.note(
                label, "The site has no Wagtail Site: the menu was not saved.", "dropped"
            )
            return
        menus = Menus.for_site(site)
        current = _digest([_plain_link(b.value) for b in menus.header])
        wanted = _digest([link["value"] for link in links])
        record = ImportRecord.objects.filter(
            source=self.writer.source, kind=ImportRecord.Kind.MENU, external_id="header"
        ).first()
        if record is not None and record.content_hash == wanted == current:
            self.report.count("menu", "unchanged")
            return
        ours = record is not None and record.content_hash == current
        if len(menus.header) and not ours:
            self.report.note(
                label,
                "The header menu was set in Masthead: it was left as it is (Settings > Menus).",
                "dropped",
            )
            return
        with transaction.atomic():
            menus.header = links
            menus.save()
            ImportRecord.objects.update_or_create(
                source=self.writer.source,
                kind=ImportRecord.Kind.MENU,
                external_id="header",
                defaults={"content_hash": wanted},
            )
        self.report.count("menu", "updated" if record else "created")


def _plain_link(value) -> dict:
    page = value.get("page")
    return {
        "label": value.get("label") or "",
        "page": getattr(page, "pk", page),
        "url": value.get("url") or "",
    }


def _digest(links: list[dict]) -> str:
    plain = [_plain_link(link) for link in links]
    return hashlib.sha256(json.dumps(plain, sort_keys=True).encode()).hexdigest()


@dataclass
class _Entry:
    item: WxrItem
    parent: str

    @property
    def label(self) -> str:
        return self.item.label
