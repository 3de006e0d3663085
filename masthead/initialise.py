"""`masthead init`: an empty newsroom of one's own, built the way the demo is.

Everything the person typed is checked before anything is written (:func:`check_options`);
then :func:`build_site` makes what is missing and reports what it did, so a second run
with the same options changes nothing and says so. It never deletes or rewrites a
story, a page an editor made or an account.
"""

import os
import secrets
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import slugify

from masthead.core.site_address import InvalidAddress, normalise

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
DEFAULT_SECTIONS = ("News",)
# Section slugs are the first part of an address: these already belong to other pages.
RESERVED_SLUGS = {
    "admin", "documents", "topics", "authors", "discovery", "search", "feeds", "static",
    "media", "sitemap", "robots", "corrections",
}  # fmt: skip
# The data folder's settings file: defaults that the environment overrides (settings.env).
SITE_FILE = "site.env"


class InitError(Exception):
    """Input or state that stops `masthead init` before it writes anything."""


@dataclass
class Options:
    name: str
    base_url: str
    sections: list[str]
    language: str
    time_zone: str
    admin_email: str = ""
    admin_username: str = ""
    password: str | None = None
    force: bool = False


@dataclass
class Outcome:
    changes: list[str] = field(default_factory=list)
    password: str | None = None
    admin: str = ""


def parse_sections(raw: str | None) -> list[str]:
    """Return the section names of ``--sections "A,B"``, refusing blanks, twins and taken names."""
    if raw is None:
        return list(DEFAULT_SECTIONS)
    names = [part.strip() for part in raw.split(",")]
    if not any(names):
        raise InitError('--sections names no section. Example: --sections "News,Analysis"')
    seen: dict[str, str] = {}
    result = []
    for name in names:
        if not name:
            raise InitError(f"--sections {raw!r} has an empty name between two commas.")
        if len(name) > 255:
            raise InitError(f"The section name {name[:40]!r}... is longer than 255 characters.")
        slug = slugify(name, allow_unicode=True)
        if not slug:
            raise InitError(f"The section name {name!r} makes no address: use letters or digits.")
        if slug in RESERVED_SLUGS:
            raise InitError(
                f"The section name {name!r} would take the address /{slug}/, which Masthead "
                "uses for something else. Choose another name."
            )
        if slug in seen:
            raise InitError(
                f"The section {name!r} is given twice (as {seen[slug]!r} and {name!r})."
            )
        seen[slug] = name
        result.append(name)
    return result


def check_options(
    *,
    name: str,
    base_url: str | None,
    sections: str | None,
    language: str,
    time_zone: str,
    admin_email: str,
    admin_username: str = "",
    password_file: str | None = None,
    force: bool = False,
) -> Options:
    """Return the checked options, or raise InitError naming the first problem."""
    from django.conf.locale import LANG_INFO
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    name = (name or "").strip()
    if not name:
        raise InitError("--name is empty: give the publication's name.")
    if len(name) > 255:
        raise InitError("--name is longer than 255 characters.")
    try:
        address = normalise(base_url or DEFAULT_BASE_URL)
    except InvalidAddress as exc:
        raise InitError(f"--base-url: {exc}") from None
    code = (language or "").strip()
    if code.lower() not in LANG_INFO:
        raise InitError(
            f"--language {language!r} is not a language code Django knows (examples: en, "
            "en-gb, fr, de, pt-br)."
        )
    try:
        zoneinfo.ZoneInfo((time_zone or "").strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InitError(
            f"--time-zone {time_zone!r} is not a time zone (examples: UTC, Europe/Paris)."
        ) from None
    admin_email = (admin_email or "").strip()
    if admin_email:
        try:
            validate_email(admin_email)
        except ValidationError:
            raise InitError(f"--admin-email {admin_email!r} is not an e-mail address.") from None
    password = None
    if password_file:
        path = Path(password_file).expanduser()
        try:
            password = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise InitError(f"Cannot read --password-file {path}: {exc}") from None
        if not password:
            raise InitError(f"--password-file {path} is empty.")
    return Options(
        name=name,
        base_url=address,
        sections=parse_sections(sections),
        language=code.lower(),
        time_zone=time_zone.strip(),
        admin_email=admin_email,
        admin_username=(admin_username or "").strip(),
        password=password,
        force=force,
    )


def check_data_dir(folder: Path) -> None:
    """Refuse a folder that holds something other than a Masthead data folder."""
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{folder} is a file, not a folder: choose another --data.")
    if folder.is_dir():
        ours = {"masthead.sqlite3", "secret_key", SITE_FILE, "media", "static", "cache"}
        others = sorted(
            p.name for p in folder.iterdir() if p.name not in ours and not p.name.startswith(".")
        )
        if others and not (folder / "secret_key").exists():
            shown = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
            raise InitError(
                f"{folder} already holds other files ({shown}); it is not a Masthead data "
                "folder. Choose an empty or new folder with --data."
            )
        if not os.access(folder, os.W_OK | os.X_OK):
            raise InitError(f"{folder} is not writable: choose another folder with --data.")
    else:
        parent = next((p for p in folder.parents if p.exists()), None)
        if parent is None or not os.access(parent, os.W_OK | os.X_OK):
            raise InitError(f"Cannot create {folder}: {parent} is not writable.")


def site_values(options: Options) -> dict[str, str]:
    """Return what the data folder's ``site.env`` records for the settings."""
    return {
        "MASTHEAD_SITE_NAME": options.name,
        "MASTHEAD_BASE_URL": options.base_url,
        "MASTHEAD_LANGUAGE": options.language,
        "TIME_ZONE": options.time_zone,
    }


def write_site_file(folder: Path, values: dict[str, str]) -> bool:
    """Write ``site.env`` in ``folder``; return whether it changed."""
    from masthead.settings.env import format_site_file

    path = folder / SITE_FILE
    text = format_site_file(values)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return True


def build_site(options: Options, *, with_admin: bool = True) -> Outcome:
    """Make the home page, sections, site record and first administrator that are missing."""
    from django.db import transaction
    from wagtail.models import Page, Site

    from masthead.articles.models import ArticlePage
    from masthead.sections.models import HomePage, SectionPage

    outcome = Outcome()
    home = HomePage.objects.first()
    site = Site.objects.filter(is_default_site=True).first()
    hostname, port = _host_and_port(options.base_url)
    existing = {s.slug for s in SectionPage.objects.child_of(home)} if home else set()
    missing = [n for n in options.sections if slugify(n, allow_unicode=True) not in existing]
    address_changes = site is None or (site.hostname, site.port) != (hostname, port)
    name_changes = site is None or site.site_name != options.name
    has_content = ArticlePage.objects.exists()
    if has_content and not options.force and (home is None or missing or address_changes):
        raise InitError(
            "This database already has stories, and init would change its site (home page, "
            "sections or address). Run again with --force to add what is missing; nothing "
            "is ever deleted."
        )

    with transaction.atomic():
        if home is None:
            home = HomePage(title=options.name, slug="front")
            Page.get_first_root_node().add_child(instance=home)
            home.save_revision().publish(log_action=False)
            outcome.changes.append(f"created the home page {options.name!r}")
        if site is None:
            site = Site(is_default_site=True, root_page=home)
        old_root = site.root_page if site.pk else None
        if site.root_page_id != home.pk or address_changes or name_changes:
            site.root_page = home
            site.hostname, site.port, site.site_name = hostname, port, options.name
            site.save()
            outcome.changes.append(f"site address {options.base_url}, name {options.name!r}")
        # Wagtail's welcome page, left behind when the site moves to the new home page.
        welcome = (
            old_root is not None
            and old_root.pk != home.pk
            and old_root.specific_class is Page
            and old_root.depth == 2
        )
        if welcome and not old_root.get_children().exists():
            old_root.delete()
        for name in missing:
            section = SectionPage(title=name, slug=slugify(name, allow_unicode=True))
            home.add_child(instance=section)
            section.save_revision().publish(log_action=False)
            outcome.changes.append(f"created the section {name!r}")
        _ensure_identity(site, options, outcome)
        if with_admin:
            _ensure_admin(options, outcome)
    return outcome


def check_password(options: Options) -> None:
    """Refuse a password from --password-file that the site's validators would refuse."""
    if not options.password:
        return
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = get_user_model()(username=options.admin_username, email=options.admin_email)
    try:
        validate_password(options.password, user)
    except ValidationError as exc:
        raise InitError("The password in --password-file: " + " ".join(exc.messages)) from None


def _host_and_port(address: str) -> tuple[str, int]:
    from urllib.parse import urlsplit

    parts = urlsplit(address)
    return parts.hostname or "localhost", parts.port or (443 if parts.scheme == "https" else 80)


def _ensure_identity(site, options: Options, outcome: Outcome) -> None:
    """Give the site identity settings the publication's name, if the app is installed."""
    try:
        from masthead.navigation.models import SiteIdentity
    except ImportError:
        return
    identity = SiteIdentity.for_site(site)
    if not identity.name:
        identity.name = options.name
        identity.save()
        outcome.changes.append("recorded the publication's name in Settings > Site identity")


def _ensure_admin(options: Options, outcome: Outcome) -> None:
    from django.contrib.auth import get_user_model

    from masthead.accounts.roles import ADMINISTRATORS, give_role

    users = get_user_model()
    existing = users.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if existing is not None:
        outcome.admin = existing.get_username()
        return
    if not options.admin_email:
        raise InitError(
            "There is no administrator yet: give --admin-email (and optionally --admin-name)."
        )
    username = options.admin_username or options.admin_email.split("@")[0]
    if users.objects.filter(username=username).exists():
        raise InitError(f"The user name {username!r} is taken: choose one with --admin-name.")
    password = options.password or secrets.token_urlsafe(12)
    user = users(username=username, email=options.admin_email, is_staff=True, is_superuser=True)
    user.set_password(password)
    user.save()
    give_role(user, ADMINISTRATORS)
    outcome.admin = username
    outcome.password = None if options.password else password
    outcome.changes.append(f"created the administrator {username!r} <{options.admin_email}>")
