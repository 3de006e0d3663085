"""Wagtail's password forms behind the shared throttle (``throttle.Scope``).

Page passwords (``/_util/authenticate_with_password/``), collection passwords
(``/documents/authenticate_with_password/``) and password-reset requests are Wagtail's
own views; these wrappers count attempts per client and answer 429, with the same form
and a message saying for how long, once a scope is locked. A locked client is refused
even with the right password, as at sign-in.
"""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.views.account import PasswordResetView
from wagtail.documents.views import serve as document_views
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction

from masthead.core.clients import client_address

from . import throttle

TOO_MANY = 429


def _locked_password_form(request, restriction):
    form = PasswordViewRestrictionForm(
        data={"password": "", "return_url": request.POST.get("return_url", "")},
        instance=restriction,
    )
    form.full_clean()
    form.errors.clear()
    form.add_error(
        "password",
        _("Too many wrong passwords from your address. Try again in %(minutes)d minutes.")
        % {"minutes": throttle.PAGE_PASSWORD.minutes()},
    )
    return form


def _count(scope_parts, response):
    """Count a refused password (the form shown again); forget the count on success."""
    if response.status_code in (301, 302):
        throttle.PAGE_PASSWORD.clear(*scope_parts)
    else:
        throttle.PAGE_PASSWORD.hit(*scope_parts)
    return response


def page_password(request, page_view_restriction_id: int, page_id: int):
    """Wagtail's page-password view, throttled per (restriction, client)."""
    from wagtail.views import authenticate_with_password

    if request.method != "POST":
        return authenticate_with_password(request, page_view_restriction_id, page_id)
    parts = ("page", page_view_restriction_id, client_address(request))
    if throttle.PAGE_PASSWORD.is_locked(*parts):
        restriction = get_object_or_404(PageViewRestriction, id=page_view_restriction_id)
        page = get_object_or_404(Page, id=page_id).specific
        action_url = reverse(
            "wagtailcore_authenticate_with_password", args=[restriction.id, page.id]
        )
        response = page.serve_password_required_response(
            request, _locked_password_form(request, restriction), action_url
        )
        response.status_code = TOO_MANY
        return response
    return _count(parts, authenticate_with_password(request, page_view_restriction_id, page_id))


def collection_password(request, restriction_id: int):
    """Wagtail's document-collection password view, throttled per (restriction, client)."""
    if request.method != "POST":
        return document_views.authenticate_with_password(request, restriction_id)
    parts = ("collection", restriction_id, client_address(request))
    if throttle.PAGE_PASSWORD.is_locked(*parts):
        restriction = get_object_or_404(CollectionViewRestriction, id=restriction_id)
        action_url = reverse("wagtaildocs_authenticate_with_password", args=[restriction.id])
        context = {"form": _locked_password_form(request, restriction), "action_url": action_url}
        return TemplateResponse(
            request, "wagtaildocs/password_required.html", context, status=TOO_MANY
        )
    return _count(parts, document_views.authenticate_with_password(request, restriction_id))


class ThrottledPasswordResetView(PasswordResetView):
    """Wagtail's password-reset form, at most a few requests per address and per client.

    Every request counts (each one sends an e-mail when the address is known), and the
    refusal reads the same whether or not the address has an account.
    """

    def post(self, request, *args, **kwargs):
        address = (request.POST.get("email") or "").strip().lower()
        client = client_address(request)
        if throttle.RESET_ADDRESS.is_locked(address) or throttle.RESET_CLIENT.is_locked(client):
            form = self.get_form()
            form.full_clean()
            form.add_error(
                None,
                _(
                    "Too many password-reset requests. Try again in %(minutes)d minutes, "
                    "or ask an administrator."
                )
                % {"minutes": throttle.RESET_ADDRESS.minutes()},
            )
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = TOO_MANY
            return response
        if address:
            throttle.RESET_ADDRESS.hit(address)
        throttle.RESET_CLIENT.hit(client)
        return super().post(request, *args, **kwargs)
