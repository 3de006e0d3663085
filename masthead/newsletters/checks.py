"""The editorial checks on what an editor wrote in an issue (subject, preheader, intro,
text blocks); teasers come from published stories, which were checked already."""

from masthead.editorial.engine import blocking
from masthead.editorial.findings import Finding
from masthead.editorial.services import check_story
from masthead.editorial.story import build_story
from masthead.editorial.text import html_to_text, split_paragraphs


def written_paragraphs(issue) -> list[str]:
    paragraphs = split_paragraphs(html_to_text(issue.intro or ""))
    for block in issue.body:
        if block.block_type == "text":
            if block.value.get("heading"):
                paragraphs.append(block.value["heading"])
            paragraphs += split_paragraphs(html_to_text(str(block.value["text"])))
    return paragraphs


def issue_findings(issue) -> list[Finding]:
    """Return the findings of the editorial checks on the issue's written parts."""
    story = build_story(
        issue.subject or "", written_paragraphs(issue), standfirst=issue.preheader or None
    )
    site = issue.newsletter.site if issue.newsletter_id else None
    return [f for f in check_story(story, site) if not f.rule.startswith(("byline", "source"))]


def blocking_findings(issue) -> list[Finding]:
    return blocking(issue_findings(issue))
