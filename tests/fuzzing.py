"""Hostile requests generated from the site's own URL map (tests/test_fuzz_*.py, bench/fuzz).

Every URL pattern of the site and the admin becomes a ``Route``; ``requests_for`` draws
requests that reach it: path segments drawn from the pattern's own groups (real ids and
slugs of a seeded site, numbers past 64 bits, long and unicode text, NUL and control
characters), query strings and form bodies of hostile values (dates at the calendar's
edges, huge and negative numbers, repeated and missing fields) and every HTTP method.
``check`` sends one and asserts what a reader may get: no 500, no traceback in the body
or the log, a readable page for every refusal, no redirect off the site, and, for a
reader who is not signed in, no word of a draft or private story.

The budget is examples per (route, role): ``MASTHEAD_FUZZ_EXAMPLES`` multiplies it
(bench/fuzz/run.py runs longer), and runs are derandomized so CI is repeatable.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
from django.db import transaction
from django.urls import URLResolver, get_resolver
from django.utils.http import url_has_allowed_host_and_scheme
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Titles of stories no anonymous reader may see a word of (tests/test_draft_safety.py
# covers the surfaces one by one; the fuzzer tries everything else).
SECRET_MARKERS = ("Zanzibar-draft-7731", "Quokka-private-4410", "Tapir-scheduled-2208")
MULTIPLIER = max(1, int(os.environ.get("MASTHEAD_FUZZ_EXAMPLES", "1") or 1))


def fuzz_settings(examples: int):
    """Return hypothesis settings for ``examples`` examples per (route, role)."""
    return settings(
        max_examples=examples * MULTIPLIER,
        deadline=None,
        derandomize=not os.environ.get("MASTHEAD_FUZZ_RANDOM"),
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )


@dataclass(frozen=True)
class Route:
    """One URL pattern: its regex parts from the root down, and a readable name."""

    parts: tuple[str, ...]
    callback: str
    # The pattern as Django names the one a request matched (ResolverMatch.route).
    route: str = ""

    @property
    def name(self) -> str:
        text = "".join(_strip(p) for p in self.parts)
        return re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", text)[:90] or "/"

    @property
    def regex(self) -> str:
        return "".join(_strip(p) for p in self.parts)

    @property
    def is_admin(self) -> bool:
        return self.regex.startswith("admin/")


def routes() -> list[Route]:
    """Return every URL pattern of the site, the admin's included."""
    found: list[Route] = []

    def walk(patterns, prefix, route):
        for pattern in patterns:
            regex = pattern.pattern.regex.pattern
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, (*prefix, regex), route + str(pattern.pattern))
            else:
                view = pattern.callback
                name = f"{getattr(view, '__module__', '')}.{getattr(view, '__qualname__', view)}"
                found.append(Route((*prefix, regex), name, route + str(pattern.pattern)))

    walk(get_resolver().url_patterns, (), "")
    return found


# --- Values -----------------------------------------------------------------------------

# Text as browsers and scripts send it: any character but lone surrogates, which no
# client can encode.
_ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)
_CONTROL = st.text(alphabet=st.characters(max_codepoint=31), min_size=1, max_size=5)
EDGE_VALUES = (
    "",
    " ",
    "0",
    "-1",
    "1",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "9999-12-31T23:59:59",
    "1970-01-01T00:00:00Z",
    "99999999999999999999",
    "-99999999999999999999",
    "9223372036854775808",
    "1e309",
    "NaN",
    "inf",
    "\x00",
    "a\x00b",
    "../../etc/passwd",
    "%00",
    "%ZZ",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "https://evil.example/",
    "//evil.example/",
    "javascript:alert(1)",
    "\u202egnp.exe",
    "ñ" * 300,
    "x" * 5000,
    "[]",
    "{}",
    "null",
    "true",
)
VALUES = st.one_of(
    # Edge values twice as often as the rest: they are where parsers break.
    st.sampled_from(EDGE_VALUES),
    st.sampled_from(EDGE_VALUES),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(lambda d: d.isoformat()),
    _ANY_TEXT,
    _CONTROL,
)
FIELD_NAMES = (
    "q",
    "page",
    "p",
    "from",
    "to",
    "sort",
    "ordering",
    "section",
    "topic",
    "author",
    "next",
    "return_url",
    "id",
    "title",
    "slug",
    "body-count",
    "body-0-type",
    "standfirst",
    "password",
    "username",
    "email",
    "comment",
    "word",
    "also",
    "action-publish",
    "action-submit",
    "go_live_at",
    "expire_at",
    "collection",
    "file",
    "tags",
    "parent_page",
    "restriction_type",
    "include_descendants",
    "workflow-action-name",
    "workflow-action-extra-data",
    "page_type",
    "locale",
    "format",
)
FIELDS = st.lists(
    st.tuples(st.one_of(st.sampled_from(FIELD_NAMES), _ANY_TEXT.map(lambda t: t[:40])), VALUES),
    max_size=6,
)
METHODS = st.sampled_from(["GET", "GET", "GET", "POST", "POST", "HEAD", "PUT", "DELETE", "OPTIONS"])


# --- Paths ------------------------------------------------------------------------------


def _strip(part: str) -> str:
    part = part.removeprefix("^")
    for end in ("\\Z", "$"):
        part = part.removesuffix(end)
    return part


def _split(pattern: str) -> list[tuple[str, str]] | None:
    """Split a regex into ("literal", text) and ("group", regex) pieces; None if it can't."""
    pieces: list[tuple[str, str]] = []
    i = 0
    literal = ""
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            if pattern[i + 1] in "dwsDWSZAb":
                return None
            literal += pattern[i + 1]
            i += 2
            continue
        if char == "(":
            depth, j = 0, i
            while j < len(pattern):
                if pattern[j] == "\\":
                    j += 2
                    continue
                depth += {"(": 1, ")": -1}.get(pattern[j], 0)
                if depth == 0:
                    break
                j += 1
            if depth != 0:
                return None
            group = pattern[i + 1 : j]
            group = re.sub(r"^\?P<\w+>", "", group)
            group = group.removeprefix("?:")
            optional = j + 1 < len(pattern) and pattern[j + 1] == "?"
            if literal:
                pieces.append(("literal", literal))
                literal = ""
            pieces.append(("optional" if optional else "group", group))
            i = j + (2 if optional else 1)
            continue
        if char in ".[]{}|*+?^$":
            return None
        literal += char
        i += 1
    if literal:
        pieces.append(("literal", literal))
    return pieces


_DIGITS = {"[0-9]+", "\\d+", "[0-9]*", "\\d*"}


def path_strategy(route: Route, world: World) -> st.SearchStrategy[str]:
    """Return paths that the route's pattern matches, built from its own groups."""
    pieces = _split("".join(_strip(p) for p in route.parts))
    if pieces is None:
        full = "".join(_strip(p) for p in route.parts)
        return st.from_regex(f"^(?:{full})$", fullmatch=True).map(lambda p: "/" + p)
    strategies = []
    for kind, text in pieces:
        if kind == "literal":
            strategies.append(st.just(text))
            continue
        if text in _DIGITS:
            value = st.one_of(
                st.sampled_from(world.ids),
                st.sampled_from(["0", "99999999", "9223372036854775807", "1" * 40]),
            )
        else:
            matching = [w for w in world.words if re.fullmatch(text, w)]
            generated = st.from_regex(f"^(?:{text})$", fullmatch=True)
            value = st.one_of(st.sampled_from(matching), generated) if matching else generated
        if kind == "optional":
            value = st.one_of(st.just(""), value)
        strategies.append(value)
    return st.tuples(*strategies).map(lambda parts: "/" + "".join(parts))


@dataclass
class Request:
    method: str
    path: str
    query: list[tuple[str, str]]
    body: list[tuple[str, str]]

    def url(self) -> str:
        path = quote(self.path, safe="/")
        return f"{path}?{urlencode(self.query)}" if self.query else path

    def __repr__(self) -> str:
        return f"{self.method} {self.url()[:300]} body={self.body!r:.300}"


def requests_for(route: Route, world: World) -> st.SearchStrategy[Request]:
    return st.builds(Request, METHODS, path_strategy(route, world), FIELDS, FIELDS)


# --- The seeded site --------------------------------------------------------------------


class World:
    """A small seeded site: stories live, draft, scheduled and private; one user per role."""

    ids: list[str]
    words: list[str]
    clients: dict


def build_world() -> World:
    """Build the site (call inside a transaction the caller rolls back)."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db.models import Max
    from django.test import Client
    from django.utils import timezone
    from wagtail.documents.models import Document
    from wagtail.models import Collection, Page, PageViewRestriction

    from masthead.accounts.roles import ADMINISTRATORS, CONTRIBUTORS, EDITORS, give_role
    from masthead.articles.factories import ArticlePageFactory
    from masthead.images.factories import MastheadImageFactory
    from masthead.people.factories import AuthorFactory
    from masthead.sections.factories import SectionPageFactory, TopicFactory, make_test_site

    w = World()
    home = make_test_site()
    news = SectionPageFactory(parent=home, title="News", slug="news")
    author = AuthorFactory(name="Mira Castellan", slug="mira-castellan")
    topic = TopicFactory(name="Harbour", slug="harbour")
    image = MastheadImageFactory(collection=Collection.get_first_root_node())
    for number in range(4):
        story = ArticlePageFactory(
            parent=news,
            live=False,
            title=f"Harbour story {number}",
            slug=f"harbour-{number}",
            authors=[author],
            topics=[topic],
            lead_image=image,
        )
        story.save_revision().publish()
    draft = ArticlePageFactory(
        parent=news, live=False, title=SECRET_MARKERS[0], slug="draft-story", topics=[topic]
    )
    draft.save_revision()
    private = ArticlePageFactory(
        parent=news, live=False, title=SECRET_MARKERS[1], slug="private-story", topics=[topic]
    )
    private.save_revision().publish()
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="pw")
    scheduled = ArticlePageFactory(
        parent=news, live=False, title=SECRET_MARKERS[2], slug="scheduled-story"
    )
    scheduled.go_live_at = timezone.now() + dt.timedelta(days=3)
    scheduled.save_revision().publish()
    Document.objects.create(title="Budget", file=SimpleUploadedFile("budget.txt", b"lines\n"))
    w.clients = {"anonymous": Client()}
    for role, group in (
        ("contributor", CONTRIBUTORS),
        ("editor", EDITORS),
        ("administrator", ADMINISTRATORS),
    ):
        user = get_user_model().objects.create_user(role, f"{role}@example.org", "pw")
        give_role(user, group)
        client = Client()
        client.force_login(user)
        w.clients[role] = client
    highest = Page.objects.aggregate(top=Max("pk"))["top"] or 1
    w.ids = [str(n) for n in range(1, highest + 3)]
    w.words = [
        *Page.objects.values_list("slug", flat=True),
        "mira-castellan",
        "harbour",
        "news",
        "articles",
        "articlepage",
        "wagtailcore",
        "page",
        "people",
        "author",
        "sections",
        "topic",
        "discovery",
        "picklist",
        "editorial",
        "newsroomword",
        "editorialsettings",
        "images",
        "mastheadimage",
        "wagtaildocs",
        "document",
        "auth",
        "user",
        "group",
        "rss",
        "atom",
        "json",
        "budget.txt",
        "publish",
        "unpublish",
        "delete",
        "approve",
        "reject",
    ]
    return w


# --- The check --------------------------------------------------------------------------


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.bad: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.bad.append(f"{record.name}: {record.getMessage()[:300]}")


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def check(role: str, client, request: Request) -> None:
    """Send ``request`` as ``role`` and assert the answer is one a reader may get."""
    from django.core.cache import cache
    from django.db import transaction

    cache.clear()
    handler = _Collect()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with transaction.atomic():
            body = urlencode(request.body)
            response = client.generic(
                request.method,
                request.url(),
                data=body,
                content_type="application/x-www-form-urlencoded",
            )
            content = _body(response)
            transaction.set_rollback(True)
    finally:
        root.removeHandler(handler)
    status = response.status_code
    tally = os.environ.get("MASTHEAD_FUZZ_TALLY")
    if tally:  # bench/fuzz/run.py counts what was sent and answered
        with open(tally, "a", encoding="utf-8") as out:
            out.write(f"{role}\t{request.method}\t{status}\n")
    assert status < 500, f"{status} for {request!r}"
    assert not handler.bad, f"errors logged for {request!r}: {handler.bad}"
    assert b"Traceback (most recent call last)" not in content, request
    if 400 <= status < 500 and request.method != "HEAD":
        assert content.strip(), f"an empty {status} page for {request!r}"
    if status in (301, 302, 303, 307, 308):
        location = response["Location"]
        assert url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"}), (
            f"redirect off the site to {location!r} for {request!r}"
        )
    if role == "anonymous":
        text = content.decode("utf-8", "replace")
        for marker in SECRET_MARKERS:
            assert marker not in text, f"{marker} leaked to a reader by {request!r}"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The site every fuzzing file attacks, built once per file and rolled back after."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
