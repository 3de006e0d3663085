from django import template

from masthead.running.models import part_of as _part_of

register = template.Library()


@register.inclusion_tag("running/part_of.html")
def part_of(story):
    """Show "Part of: <running story>" with the story's timeline neighbours."""
    return {"items": _part_of(story) if story.pk else []}
