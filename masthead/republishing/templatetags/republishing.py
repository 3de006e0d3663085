from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("republishing/republish_link.html")
def republish_link(story) -> dict:
    """Render the Republish button when the story's licence allows republication."""
    licence = story.licence_terms
    if not licence.republishable:
        return {"url": None}
    return {"url": reverse("republish_story", args=[story.pk]), "licence": licence}
