"""Every link in a newsletter e-mail is built from the newsroom's own address
(``masthead.core.site_address``), never from the Host a request arrived with."""

import html
import re

import pytest
from django.core import mail
from django.test import TestCase

from masthead.background.worker import run_pending
from masthead.newsletters.factories import NewsletterFactory, SubscriptionFactory
from masthead.newsletters.models import Issue
from masthead.newsletters.sending import send_test

pytestmark = pytest.mark.django_db
BASE = "https://news.ledger.example"
URL = re.compile(r"""https?://[^\s"'<>)]+""")


@pytest.fixture
def public_address(settings):
    settings.MASTHEAD_BASE_URL = BASE
    # The request arrives as a proxy forwards it, with an address of its own.
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver", "news.ledger.example"]


def _urls(message) -> list[str]:
    parts = [message.body, *(content for content, _ in getattr(message, "alternatives", []))]
    parts += [str(v) for k, v in message.extra_headers.items() if k.startswith("List-")]
    return [html.unescape(u) for part in parts for u in URL.findall(part)]


def _assert_all_from_the_site(urls: list[str]) -> None:
    assert urls
    elsewhere = sorted({u for u in urls if not u.startswith(BASE + "/")})
    assert not elsewhere, elsewhere


def test_confirmation_link_uses_the_site_address_not_the_request_host(
    client, newsroom, public_address
):
    newsletter = NewsletterFactory(name="Morning briefing")
    response = client.post(
        "/newsletters/",
        {"email": "reader@example.org", "newsletter": [str(newsletter.pk)]},
        HTTP_HOST="127.0.0.1:8000",
    )
    assert response.status_code == 200
    (message,) = mail.outbox
    urls = _urls(message)
    _assert_all_from_the_site(urls)
    assert any("/newsletters/confirm/" in u for u in urls)


@pytest.mark.parametrize("count_clicks", [False, True], ids=["plain", "counted"])
def test_issue_links_images_and_headers_use_the_site_address(
    newsroom, public_address, count_clicks
):
    newsletter = NewsletterFactory(count_clicks=count_clicks)
    SubscriptionFactory(newsletter=newsletter)
    issue = Issue.objects.create(
        newsletter=newsletter,
        subject="Addresses",
        intro='<p>Read <a href="/news/">the news</a>.</p>',
        live=False,
        body=[
            {"type": "stories", "value": {"heading": "", "stories": [newsroom.stories[0].pk]}},
            {
                "type": "latest",
                "value": {"heading": "New", "section": None, "topic": None, "count": 3},
            },
        ],
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        issue.save_revision().publish()
    run_pending()
    (message,) = mail.outbox
    urls = _urls(message)
    _assert_all_from_the_site(urls)
    html_part = message.alternatives[0][0]
    assert re.search(rf'<img [^>]*src="{re.escape(BASE)}/', html_part)
    assert "List-Unsubscribe" in message.extra_headers
    if count_clicks:
        assert any("/newsletters/click/" in u for u in urls)

    send_test(issue, "editor@example.org")
    _assert_all_from_the_site(_urls(mail.outbox[-1]))
