from django import template

from masthead.caching import tags
from masthead.running.models import part_of as _part_of

register = template.Library()


@register.inclusion_tag("running/part_of.html", takes_context=True)
def part_of(context, story):
    """Show "Part of: <running story>" with the story's timeline neighbours.

    The page depends on the running story and on each of its stories: a neighbour
    renamed or withdrawn, or a story published in between, changes the links.
    """
    items = _part_of(story) if story.pk else []
    for item in items:
        tags.add(
            context.get("request"),
            tags.running(item.running_story.pk),
            *map(tags.page, item.member_ids),
        )
    return {"items": items}
