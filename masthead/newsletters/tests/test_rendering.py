"""The e-mail an issue becomes: size, pictures, inlined CSS, plain text, valid HTML."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from masthead.newsletters.factories import NewsletterFactory
from masthead.newsletters.models import Issue
from masthead.newsletters.rendering import GMAIL_CLIP_BYTES, personalise, render_issue

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = ROOT / "test-artifacts" / "newsletters"


def full_issue(newsroom) -> Issue:
    """An issue with every kind of block, twelve teasers with pictures and a long intro."""
    for story in newsroom.stories:
        story.lead_image = newsroom.image
        story.save()
    issue = Issue(
        newsletter=NewsletterFactory(name="Morning briefing"),
        subject="Harbour deal, border talks and the budget",
        intro="<p>Good morning. " + "Three stories shape the region today. " * 20 + "</p>",
        body=[
            {
                "type": "stories",
                "value": {
                    "heading": "Top stories",
                    "stories": [s.pk for s in newsroom.stories[:3]],
                },
            },
            {
                "type": "text",
                "value": {
                    "heading": "From the editor",
                    "text": '<p>We are <b>hiring</b>. <a href="/about/">Read more</a>.</p>',
                },
            },
            {"type": "editors_choice", "value": {"heading": "Editor's choice", "count": 3}},
            {
                "type": "latest",
                "value": {
                    "heading": "Newest in News",
                    "section": newsroom.news.pk,
                    "topic": None,
                    "count": 5,
                },
            },
            {"type": "popular", "value": {"heading": "Most read", "count": 3}},
        ],
        live=False,
    )
    issue.save()
    return issue


def test_issue_email_has_pictures_with_size_and_alt_inlined_css_and_a_text_part(newsroom):
    rendered = render_issue(full_issue(newsroom))
    assert rendered.html_bytes < GMAIL_CLIP_BYTES
    images = re.findall(r"<img [^>]+>", rendered.html)
    assert images
    for tag in images:
        assert re.search(r'width="\d+"', tag) and re.search(r'height="\d+"', tag), tag
        assert re.search(r'alt="[^"]+"', tag), tag
        assert "max-width" in tag  # inlined from the <style> block
    assert re.search(
        r'<table class="sheet" role="presentation" style="[^"]*max-width: 600px', rendered.html
    )
    assert "prefers-color-scheme: dark" in rendered.html  # kept for mail programs that read it
    assert 'href="http' in rendered.html and 'href="/' not in rendered.html
    for story in newsroom.stories[:3]:
        assert story.title in rendered.text and story.title in rendered.html
    assert "We are hiring. Read more." in rendered.text
    assert "<" not in rendered.text.replace("<-", "")


@pytest.mark.slow
def test_email_templates_pass_the_nu_html_checker(newsroom, tmp_path):
    if not VNU.exists() or not shutil.which("java"):
        pytest.skip("Nu HTML Checker needs `npm ci` (vnu-jar) and Java")
    files = {
        # As a reader gets it: with their own links in place of the placeholders.
        "issue.html": personalise(
            render_issue(full_issue(newsroom)).html,
            "https://ledger.example/newsletters/manage/1.a.0:sig/",
            "https://ledger.example/newsletters/unsubscribe/1.a.2:sig/?send=1",
        ),
        "confirm.html": render_to_string(
            "newsletters/email/confirm.html",
            {"newsletters": [], "confirm_url": "https://ledger.example/c/", "hours": 72},
        ),
    }
    for name, html in files.items():
        (tmp_path / name).write_text(html)
    run = subprocess.run(
        [
            shutil.which("java"),
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            "--stdout",
            *(str(tmp_path / n) for n in files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stdout or '{"messages": []}')["messages"]
    # What e-mail HTML needs and the checker does not know: Outlook's own CSS properties.
    outlook = re.compile(r"CSS: “mso-[a-z-]+”: Property “mso-[a-z-]+” doesn.t exist")
    errors = [
        f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if not outlook.match(m["message"])
    ]
    assert not errors, errors
