"""The reader pages of newsletters pass the Nu HTML Checker: sign-up (and its refusals),
confirm, preferences, unsubscribe and the answers after each, as the site serves them.

Pages go to ``test-artifacts/newsletters/reader-pages/`` for a look at what was checked.
"""

import json
import re
import shutil
import subprocess

import pytest
from django.core import mail

from masthead.newsletters.factories import NewsletterFactory
from masthead.newsletters.models import Subscriber
from masthead.newsletters.tokens import make_manage_token

from .test_rendering import ARTIFACTS, VNU

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _pages(client, settings) -> dict[str, tuple[int, bytes]]:
    settings.MASTHEAD_NEWSLETTER_SIGNUP_LIMITS = {"address": (1, 3600), "client": (50, 600)}
    morning = NewsletterFactory(name="Morning briefing")
    NewsletterFactory(name="Analysis weekly")
    pages = {}

    def keep(name, response):
        pages[name] = (response.status_code, response.content)
        return response

    keep("signup", client.get("/newsletters/"))
    keep("signup-refused", client.post("/newsletters/", {"email": "not an address"}))
    signup = {"email": "reader@example.org", "newsletter": [str(morning.pk)]}
    keep("check-inbox", client.post("/newsletters/", signup))
    keep("throttled", client.post("/newsletters/", signup))
    (link,) = re.findall(r"https?://\S+(/newsletters/confirm/\S+/)", mail.outbox[0].body)
    keep("confirm", client.get(link))
    keep("confirmed", client.post(link))
    keep("bad-link", client.get("/newsletters/confirm/forged/"))
    subscriber = Subscriber.objects.get()
    manage = f"/newsletters/manage/{make_manage_token(subscriber)}/"
    keep("manage", client.get(manage))
    keep("manage-saved", client.post(manage, {"action": "save", "newsletter": [str(morning.pk)]}))
    unsubscribe = f"/newsletters/unsubscribe/{make_manage_token(subscriber, morning.pk)}/"
    keep("unsubscribe", client.get(unsubscribe))
    keep("unsubscribed", client.post(unsubscribe))
    keep("deleted", client.post(manage, {"action": "delete"}))
    return pages


def test_reader_pages_pass_the_nu_html_checker(client, newsroom, settings):
    if not VNU.exists() or not shutil.which("java"):
        pytest.fail("The Nu HTML Checker needs `make tools` (vnu-jar) and Java")
    pages = _pages(client, settings)
    statuses = {name: status for name, (status, _) in pages.items()}
    assert statuses == {
        "signup": 200,
        "signup-refused": 400,
        "check-inbox": 200,
        "throttled": 429,
        "confirm": 200,
        "confirmed": 200,
        "bad-link": 400,
        "manage": 200,
        "manage-saved": 200,
        "unsubscribe": 200,
        "unsubscribed": 200,
        "deleted": 200,
    }
    folder = ARTIFACTS / "reader-pages"
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for name, (_, content) in pages.items():
        path = folder / f"{name}.html"
        path.write_bytes(content)
        files.append(str(path))
    run = subprocess.run(
        [shutil.which("java"), "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout"]
        + files,
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    (folder / "vnu-report.json").write_text(
        json.dumps({"pages": len(files), "errors": errors}, indent=1)
    )
    assert not errors, errors
