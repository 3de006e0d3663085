from dataclasses import fields

from django import template

from masthead.syndication.head import head_data
from masthead.syndication.structured_data import json_ld_script
from masthead.syndication.text import clean

register = template.Library()


@register.inclusion_tag("syndication/head.html", takes_context=True)
def syndication_head(context) -> dict:
    """Render the canonical link, social card, feed links and JSON-LD for this page."""
    data = head_data(context)
    if data is not None:
        # Social networks and crawlers choke on control characters as much as XML does.
        for item in fields(data):
            setattr(data, item.name, clean(getattr(data, item.name)))
    return {
        "head": data,
        "publication_name": context.get("publication_name", ""),
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE", ""),
        "scripts": [json_ld_script(item) for item in data.json_ld] if data else [],
    }
