from django import template

from masthead.core import changes

register = template.Library()


@register.simple_tag(takes_context=True)
def site_sections(context) -> list:
    """Return the live public sections under the current site's home page, in tree order.

    Each worker keeps the list until the ``SITE`` counter moves (a section published,
    renamed, moved, unpublished or made private, in any process).
    """
    request = context.get("request")
    if request is None:
        return []
    cached = getattr(request, "_masthead_sections", None)
    if cached is not None:
        return cached
    from wagtail.models import Site

    from masthead.sections.models import SectionPage

    site = Site.find_for_request(request)
    sections = []
    if site is not None:
        root = site.root_page

        def build() -> list:
            return list(
                SectionPage.objects.live()
                .public()
                .filter(path__startswith=root.path, depth=root.depth + 1)
                .order_by("path")
                .only("id", "title", "url_path", "path", "depth")
            )

        sections = changes.cached(f"navigation:{site.pk}", changes.SITE, build)
    request._masthead_sections = sections
    return sections
