from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def site_sections(context) -> list:
    """Return the live public sections under the current site's home page, in tree order."""
    request = context.get("request")
    if request is None:
        return []
    cached = getattr(request, "_masthead_sections", None)
    if cached is not None:
        return cached
    from django.core.cache import cache
    from wagtail.models import Site

    from masthead.sections.models import SectionPage

    site = Site.find_for_request(request)
    sections = []
    if site is not None:
        key = f"masthead:nav:{site.pk}"
        sections = cache.get(key)
        if sections is None:
            sections = list(
                SectionPage.objects.live()
                .public()
                .filter(path__startswith=site.root_page.path, depth=site.root_page.depth + 1)
                .order_by("path")
                .only("id", "title", "url_path", "path", "depth")
            )
            # Publishing or unpublishing a section deletes this key (sections.signals).
            cache.set(key, sections, 300)
    request._masthead_sections = sections
    return sections
