"""System checks for the site's configuration."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.http.request import validate_host

from . import site_address


def address_problems() -> list[str]:
    """Return why the site's public address is wrong for a server on the internet, if it is.

    A local address is accepted only while the server answers local names alone (a
    trial run); once ``ALLOWED_HOSTS`` names a public host, every canonical link, feed
    and sitemap would send readers and crawlers to localhost.
    """
    address = site_address.base_url()
    allowed = list(settings.ALLOWED_HOSTS)
    public_hosts = [h for h in allowed if not site_address.is_local(f"http://{h.lstrip('.')}")]
    if site_address.is_local(address):
        if public_hosts:
            return [
                f"The site's address is {address}, but this server answers to "
                f"{', '.join(public_hosts)}: links in pages, feeds and sitemaps would point at "
                "this machine. Set MASTHEAD_BASE_URL (for example https://news.example.org) "
                "or run `masthead init --base-url URL`."
            ]
        return []
    if not validate_host(site_address.host(), allowed):
        return [
            f"The site's address {address} is not in ALLOWED_HOSTS ({', '.join(allowed)}): "
            "requests to it would be refused. Add its host name to ALLOWED_HOSTS or correct "
            "MASTHEAD_BASE_URL."
        ]
    return []


@register(Tags.security, deploy=True)
def check_site_address(app_configs, **kwargs) -> list[Error]:
    return [Error(problem, id="core.E001") for problem in address_problems()]
