from django import template
from wagtail.models import Site

from masthead.core import changes

register = template.Library()


def public_newsletters(site_id: int) -> list:
    """Return the lists offered on a site, kept until a list or a site changes."""
    from ..models import Newsletter

    return changes.cached(
        f"newsletters:public:{site_id}",
        changes.SITE,
        lambda: list(Newsletter.objects.filter(site_id=site_id, is_public=True)),
    )


@register.inclusion_tag("newsletters/signup_box.html", takes_context=True)
def newsletter_signup(context):
    """Render the compact sign-up form for the reader's site (nothing without lists)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    return {"newsletters": public_newsletters(site.pk) if site else []}
