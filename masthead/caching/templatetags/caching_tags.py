from django import template

from masthead.caching import tags

register = template.Library()


@register.simple_tag(takes_context=True)
def cache_depends(context, kind: str, obj=None) -> str:
    """Record that this response depends on ``kind`` (e.g. "home") or on ``kind:obj.pk``.

    Use "page" for every story shown, whether as the page itself or as a teaser.
    """
    tags.add(context.get("request"), f"{kind}:{obj.pk}" if obj is not None else kind)
    return ""
