from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html

from masthead.discovery.counter import make_token
from masthead.discovery.services import blocks_for

register = template.Library()


@register.simple_tag
def discovery_blocks(page=None, exclude=None):
    """Return the Related, Editor's choice and Popular stories for ``page``."""
    exclude_ids = [story.pk for story in exclude or []]
    return blocks_for(page, exclude=exclude_ids)


@register.simple_tag(takes_context=True)
def discovery_beacon(context, page):
    """Return the counting pixel for a published story; nothing in a preview.

    An image works with JavaScript off and is requested even when the page itself
    came from a full-page cache.
    """
    request = context.get("request")
    if not getattr(settings, "DISCOVERY_COUNT_VIEWS", True):
        return ""
    if request is None or getattr(request, "is_preview", False) or not page.live:
        return ""
    url = reverse("discovery_beacon", args=[make_token(page.pk)])
    return format_html(
        '<img class="beacon" src="{}" alt="" width="1" height="1" hidden '
        'referrerpolicy="no-referrer">',
        url,
    )
