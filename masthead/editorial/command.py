"""`masthead check FILE_OR_URL`: the editorial checks from the command line."""

import json
import logging
from pathlib import Path
from urllib.parse import urlsplit

from django.db import DatabaseError

from .findings import BLOCKING, Finding
from .lexicon import Lexicon
from .story import Story, story_from_page, story_from_text

# A file larger than this is not a story; reading stops here rather than exhausting memory.
MAX_FILE_BYTES = 20 * 1024 * 1024


class CheckError(Exception):
    """The file or story cannot be found or read; the message says why."""


def load_target(target: str) -> tuple[Story, object]:
    """Return the story to check and its site: a file, or a published story by URL or path."""
    path = Path(target)
    if path.is_file():
        try:
            with path.open("rb") as handle:
                raw = handle.read(MAX_FILE_BYTES)
        except OSError as exc:
            raise CheckError(f"Cannot read {target}: {exc.strerror}.") from None
        return story_from_text(raw.decode("utf-8", errors="replace")), None
    if path.suffix.lower() in (".txt", ".html", ".htm", ".md") and not target.startswith("http"):
        raise CheckError(f"No such file: {target}.")
    if target.startswith(("http://", "https://", "/")):
        return _published_story(target)
    raise CheckError(
        f"{target} is neither a file nor a story URL. Give a text or HTML file, or a URL or "
        "path like /news/my-story/."
    )


def _published_story(target: str):
    from wagtail.models import Site

    from masthead.articles.models import ArticlePage

    parts = urlsplit(target)
    try:
        site = None
        if parts.hostname:
            site = Site.objects.filter(hostname=parts.hostname).select_related("root_page").first()
        site = site or Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            raise CheckError("This site has no pages yet, so there is no story to check.")
        path = parts.path.strip("/")
        url_path = f"{site.root_page.url_path}{path}/" if path else site.root_page.url_path
        # Only what readers can see: drafts and private stories stay out of reach.
        page = ArticlePage.objects.live().public().filter(url_path=url_path).first()
    except DatabaseError as exc:
        raise CheckError(f"Cannot read the site's database: {exc}") from None
    if page is None:
        raise CheckError(f"No published story at {target}.")
    return story_from_page(page), site


def findings_for(target: str) -> list[Finding]:
    from .engine import run_checks
    from .newsroom import newsroom_lexicon
    from .services import levels_for

    story, site = load_target(target)
    try:
        lexicon = newsroom_lexicon()
        if site is None:
            from wagtail.models import Site

            site = Site.objects.filter(is_default_site=True).first()
        levels = levels_for(site)
    except DatabaseError:
        # No database yet (a fresh checkout): check with the English dictionary alone.
        lexicon, levels = Lexicon(), None
    return run_checks(story, lexicon, levels)


def format_text(findings: list[Finding]) -> str:
    if not findings:
        return "No findings."
    lines = []
    for f in findings:
        where = f"{f.field}[{f.start}:{f.end}]" if f.text else f.field
        fix = f" -> {f.suggestion}" if f.suggestion else ""
        quoted = f' "{f.text}"' if f.text else ""
        lines.append(f"{f.severity.upper():8} {f.rule:32} {where}{quoted}{fix}")
        lines.append(f"         {f.message}")
    blocking = sum(f.severity == BLOCKING for f in findings)
    lines.append(f"{len(findings)} findings, {blocking} blocking.")
    return "\n".join(lines)


def format_json(findings: list[Finding]) -> str:
    return json.dumps(
        {
            "findings": [f.as_dict() for f in findings],
            "blocking": sum(f.severity == BLOCKING for f in findings),
        },
        ensure_ascii=False,
        indent=2,
    )


def main(target: str, as_json: bool) -> tuple[str, int]:
    """Return the report to print and the exit status (1 when anything blocks)."""
    logging.getLogger("masthead.editorial").setLevel(logging.CRITICAL)
    findings = findings_for(target)
    output = format_json(findings) if as_json else format_text(findings)
    return output, 1 if any(f.severity == BLOCKING for f in findings) else 0
