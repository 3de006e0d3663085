"""Absolute addresses for links in e-mails, which are built with no request at hand."""

from django.urls import reverse


def site_base(site) -> str:
    """Return ``scheme://host[:port]`` of the site a newsletter belongs to.

    The default site's address is the configured one (``masthead.core.site_address``:
    ``MASTHEAD_BASE_URL``, else the Site record), as in feeds and canonical links; a
    newsletter of another Wagtail site links to that site's own root, normalised by the
    same rules. Never the Host of a request: e-mails are built in the worker, and a
    request's Host may be a proxy's or a CDN's (tests/test_links.py).
    """
    from masthead.core import site_address

    if site is None or site.is_default_site:
        return site_address.base_url()
    return site_address.normalise(site.root_url)


def absolute(site, name: str, **kwargs) -> str:
    """Return the absolute address of the URL named ``name``."""
    return site_base(site) + reverse(name, kwargs=kwargs or None)


def manage_url(site, subscriber) -> str:
    from .tokens import make_manage_token

    return absolute(site, "newsletters:manage", token=make_manage_token(subscriber))


def unsubscribe_url(site, subscriber, newsletter) -> str:
    from .tokens import make_manage_token

    return absolute(
        site, "newsletters:unsubscribe", token=make_manage_token(subscriber, newsletter.pk)
    )
