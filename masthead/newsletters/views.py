"""Reader-facing pages: sign up, confirm, preferences, one-click unsubscribe.

Every view here is uncached (``never_cache``): the sign-up form in cached pages posts to
this uncached address, and token pages are personal. The token views take no CSRF
token (a cached page cannot carry one; the signed token in the address is the
authority) and change nothing on GET, because mail scanners follow links.
"""

import logging

from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from wagtail.models import Site

from masthead.core.clients import client_address

from . import subscriptions
from .addresses import AddressError
from .forms import SignupForm
from .models import Newsletter, Subscription
from .tokens import BadToken, read_confirm_token, read_manage_token

logger = logging.getLogger("masthead.newsletters")


def _page(request, template: str, context: dict, status: int = 200) -> TemplateResponse:
    return TemplateResponse(request, f"newsletters/{template}", context, status=status)


def _offered(request) -> list[Newsletter]:
    site = Site.find_for_request(request)
    return list(Newsletter.objects.filter(site=site, is_public=True)) if site else []


def _bad_link(request) -> TemplateResponse:
    return _page(
        request,
        "message.html",
        {
            "heading": _("This link does not work"),
            "message": _(
                "The link is incomplete, has expired or was changed. Sign up again, or use "
                "the link at the bottom of the latest newsletter you received."
            ),
        },
        status=400,
    )


@csrf_exempt
@never_cache
def signup(request: HttpRequest) -> TemplateResponse:
    offered = _offered(request)
    if request.method != "POST":
        return _page(request, "signup.html", {"form": SignupForm(newsletters=offered)})
    form = SignupForm(request.POST, newsletters=offered)
    if not form.is_valid():
        return _page(request, "signup.html", {"form": form}, status=400)
    chosen = form.chosen()
    if not chosen:
        form.add_error("newsletter", _("Choose at least one newsletter."))
        return _page(request, "signup.html", {"form": form}, status=400)
    if form.cleaned_data.get("website"):
        # A robot filled the hidden field: answer as for a person, send nothing.
        return _page(request, "check_inbox.html", {})
    try:
        outcome = subscriptions.request_signup(
            form.cleaned_data["email"], chosen, client_address(request)
        )
    except AddressError as exc:
        form.add_error("email", str(exc))
        return _page(request, "signup.html", {"form": form}, status=400)
    except OSError:
        logger.exception("Confirmation e-mail could not be sent")
        return _page(
            request,
            "message.html",
            {
                "heading": _("Please try again later"),
                "message": _("The confirmation e-mail could not be sent just now."),
            },
            status=503,
        )
    if outcome == "throttled":
        return _page(
            request,
            "message.html",
            {
                "heading": _("Too many sign-ups"),
                "message": _(
                    "There have been too many sign-ups from your connection or for this "
                    "address. Please try again in an hour."
                ),
            },
            status=429,
        )
    return _page(request, "check_inbox.html", {})


@csrf_exempt
@never_cache
def confirm(request: HttpRequest, token: str) -> TemplateResponse:
    try:
        address, ids, requested_at = read_confirm_token(token)
    except BadToken:
        return _bad_link(request)
    newsletters = list(Newsletter.objects.filter(pk__in=ids))
    if request.method != "POST":
        return _page(request, "confirm.html", {"newsletters": newsletters, "email": address})
    subscriber = subscriptions.confirm(address, ids, requested_at)
    if subscriber is None:
        return _bad_link(request)
    return _page(
        request,
        "confirmed.html",
        {"newsletters": newsletters, "manage_token": _manage_token(subscriber)},
    )


def _manage_token(subscriber) -> str:
    from .tokens import make_manage_token

    return make_manage_token(subscriber)


@csrf_exempt
@never_cache
def manage(request: HttpRequest, token: str) -> TemplateResponse:
    try:
        subscriber, _newsletter_id = read_manage_token(token)
    except BadToken:
        return _bad_link(request)
    site = Site.find_for_request(request)
    message = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "delete":
            subscriptions.forget(subscriber)
            return _page(
                request,
                "message.html",
                {
                    "heading": _("Your data is deleted"),
                    "message": _("Your address and your subscriptions are deleted."),
                },
            )
        if action == "unsubscribe_all":
            subscriptions.unsubscribe(subscriber)
        else:
            wanted = {int(v) for v in request.POST.getlist("newsletter") if v.isdigit()}
            subscriptions.set_lists(subscriber, wanted, site)
        message = _("Your choices are saved.")
    current = set(
        subscriber.subscriptions.filter(status=Subscription.Status.SUBSCRIBED).values_list(
            "newsletter_id", flat=True
        )
    )
    lists = [(n, n.pk in current) for n in Newsletter.objects.filter(site=site, is_public=True)]
    return _page(
        request,
        "manage.html",
        {"subscriber": subscriber, "lists": lists, "message": message, "token": token},
    )


@csrf_exempt
@never_cache
def unsubscribe(request: HttpRequest, token: str) -> TemplateResponse:
    """Unsubscribe from one list: RFC 8058 one-click POST, or the button on the page."""
    try:
        subscriber, newsletter_id = read_manage_token(token)
    except BadToken:
        return _bad_link(request)
    newsletter = Newsletter.objects.filter(pk=newsletter_id).first()
    if newsletter is None:
        return _bad_link(request)
    context = {"newsletter": newsletter, "manage_token": _manage_token(subscriber)}
    if request.method != "POST":
        return _page(request, "unsubscribe.html", context)
    from .models import Send

    send = Send.objects.filter(pk=request.GET.get("send") or 0).only("pk").first()
    subscriptions.unsubscribe(subscriber, [newsletter.pk], send=send)
    return _page(request, "unsubscribed.html", context)


@never_cache
def click(request: HttpRequest, send_id: int):
    """Count a click on a newsletter link (lists with counting on), then go there."""
    from django.http import HttpResponseRedirect

    from . import clicks
    from .models import Send

    url = request.GET.get("u", "")
    if not url.startswith(("http://", "https://")) or not clicks.is_signed(
        send_id, url, request.GET.get("s", "")
    ):
        return _bad_link(request)
    send = Send.objects.filter(pk=send_id).select_related("issue__newsletter").first()
    if send is not None and send.issue.newsletter.count_clicks:
        clicks.count(
            send_id, url, client_address(request), request.META.get("HTTP_USER_AGENT", "")[:300]
        )
    return HttpResponseRedirect(url)
