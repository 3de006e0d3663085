from django import template

from masthead.syndication.head import head_data
from masthead.syndication.structured_data import json_ld_script

register = template.Library()


@register.inclusion_tag("syndication/head.html", takes_context=True)
def syndication_head(context) -> dict:
    """Render the canonical link, social card, feed links and JSON-LD for this page."""
    data = head_data(context)
    return {
        "head": data,
        "publication_name": context.get("publication_name", ""),
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE", ""),
        "scripts": [json_ld_script(item) for item in data.json_ld] if data else [],
    }
