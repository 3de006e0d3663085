"""Click counting, when a list turns it on: one count per reader and day, no cookie,
no record of who; signed links only, so the address redirects nowhere else."""

import html
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import TestCase

from masthead.background.worker import run_pending
from masthead.newsletters.factories import NewsletterFactory, SubscriptionFactory
from masthead.newsletters.models import Issue, LinkClick, Send
from masthead.newsletters.sending import figures

pytestmark = pytest.mark.django_db


def _send(newsroom, count_clicks: bool) -> str:
    newsletter = NewsletterFactory(count_clicks=count_clicks)
    SubscriptionFactory(newsletter=newsletter)
    story = newsroom.stories[0]
    issue = Issue.objects.create(
        newsletter=newsletter,
        subject="Clicks",
        live=False,
        body=[{"type": "stories", "value": {"heading": "", "stories": [story.pk]}}],
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        issue.save_revision().publish()
    run_pending()
    return mail.outbox[-1].alternatives[0][0]


def test_links_count_once_per_reader_and_day_and_lead_to_the_story(client, newsroom):
    body = _send(newsroom, count_clicks=True)
    story = newsroom.stories[0]
    links = [html.unescape(u) for u in re.findall(r'href="([^"]+/newsletters/click/[^"]+)"', body)]
    link = next(u for u in links if story.slug in u)
    parts = urlsplit(link)
    path = f"{parts.path}?{parts.query}"
    response = client.get(path, REMOTE_ADDR="203.0.113.1", HTTP_USER_AGENT="Mail/1")
    assert response.status_code == 302 and response["Location"].endswith(story.url)
    assert "Set-Cookie" not in response
    client.get(path, REMOTE_ADDR="203.0.113.1", HTTP_USER_AGENT="Mail/1")
    client.get(path, REMOTE_ADDR="198.51.100.2", HTTP_USER_AGENT="Mail/1")
    (row,) = LinkClick.objects.all()
    assert row.count == 2 and row.url.endswith(story.url)
    assert figures(Send.objects.get())["clicks"] == 2


def test_forged_click_links_redirect_nowhere(client, newsroom):
    _send(newsroom, count_clicks=True)
    send = Send.objects.get()
    for query in (
        "u=https://evil.example/&s=abc",
        "u=https://evil.example/",
        "u=javascript:alert(1)&s=x",
    ):
        response = client.get(f"/newsletters/click/{send.pk}/?{query}")
        assert response.status_code == 400 and "Location" not in response
    assert not LinkClick.objects.exists()


def test_links_are_left_alone_when_counting_is_off(newsroom):
    body = _send(newsroom, count_clicks=False)
    assert "/newsletters/click/" not in body
    assert newsroom.stories[0].url in body
