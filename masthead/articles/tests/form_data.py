"""Build the POST data the Wagtail page editor sends for a story."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield


def article_form_data(
    title: str,
    slug: str,
    standfirst: str,
    *,
    paragraphs=(),
    authors=(),
    topics=(),
    lead_image=None,
    caption: str = "",
    credit: str = "",
    **extra,
) -> dict:
    """Return form data for the story editor, as a browser would submit it."""
    data = {
        "title": title,
        "slug": slug,
        "kicker": "",
        "standfirst": standfirst,
        "body": streamfield([("paragraph", rich_text(f"<p>{text}</p>")) for text in paragraphs]),
        "lead_image": lead_image.pk if lead_image else "",
        "lead_image_caption": caption,
        "lead_image_credit": credit,
        "source_name": "",
        "source_url": "",
        "updated_at": "",
        "article_authors": inline_formset([{"author": a.pk} for a in authors]),
        "article_topics": inline_formset([{"topic": t.pk} for t in topics]),
        "corrections": inline_formset([]),
        "related_pins": inline_formset([]),
        "related_exclusions": inline_formset([]),
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
    }
    data.update(extra)
    return nested_form_data(data)
