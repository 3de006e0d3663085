from django import template

from masthead.discovery.services import blocks_for

register = template.Library()


@register.simple_tag
def discovery_blocks(page=None, exclude=None):
    """Return the Related, Editor's choice and Popular stories for ``page``."""
    exclude_ids = [story.pk for story in exclude or []]
    return blocks_for(page, exclude=exclude_ids)
