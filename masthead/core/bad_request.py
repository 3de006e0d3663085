"""Answer malformed input with 400 and a readable page, never a 500 or a traceback.

Views validate what they read, but a request can still reach code that trusts its input
(Wagtail's form widgets read ``body-count`` with ``data[...]``, a date at the calendar's
edge overflows, a file name longer than the file system allows). Those failures are the
client's: the kinds of exception below, raised while handling a request, become a 400
page. Each is logged at WARNING on one line naming the code that trusted the input, so
it can still be found and fixed; any other exception stays a 500.
"""

import errno
import logging
import traceback

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponseBadRequest
from django.template import loader
from django.utils.datastructures import MultiValueDictKeyError

logger = logging.getLogger("masthead.bad_request")

# OSError numbers that a request's own input causes (a path too long, a name with NUL).
CLIENT_OS_ERRORS = {errno.ENAMETOOLONG, errno.EINVAL, errno.EILSEQ}


def is_bad_input(exc: BaseException) -> bool:
    """Return True when ``exc`` comes from malformed request input, not from our code."""
    if isinstance(exc, MultiValueDictKeyError | OverflowError | UnicodeError):
        return True
    if isinstance(exc, TooManyFieldsSent | RequestDataTooBig):
        return True
    if isinstance(exc, OSError) and exc.errno in CLIENT_OS_ERRORS:
        return True
    # Null characters reach the database only from a request ("A string literal cannot
    # contain NUL (0x00) characters", PostgreSQL) or the file system ("embedded null byte").
    return isinstance(exc, ValueError) and (
        "NUL (0x00)" in str(exc) or "null byte" in str(exc) or "null character" in str(exc)
    )


def bad_request_response(request: HttpRequest | None = None) -> HttpResponseBadRequest:
    """Return the site's plain 400 page (no request context: it must not fail itself)."""
    return HttpResponseBadRequest(loader.get_template("400.html").render({}))


class BadRequestMiddleware:
    """Turn the exceptions of ``is_bad_input`` into a 400 page; give empty refusals a page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        if (
            400 <= response.status_code < 500
            and request.method != "HEAD"
            and not response.streaming
            and not response.content
            and response.get("Content-Type", "").startswith("text/html")
        ):
            # Django and Wagtail refuse some requests with an empty body (405 for a wrong
            # method, a bare 400 or 403): a reader still gets a page that says why.
            response.content = loader.get_template("refused.html").render(
                {"status": response.status_code}
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not is_bad_input(exception):
            return None
        # One line with the place that trusted the input, no traceback: the log of a
        # site under a scanner must stay readable, and these are not our failures.
        frame = traceback.extract_tb(exception.__traceback__)[-1:] if exception else []
        where = f"{frame[0].filename}:{frame[0].lineno}" if frame else "?"
        logger.warning(
            "Bad request %s %s: %s: %s (at %s)",
            request.method,
            request.path[:200],
            type(exception).__name__,
            str(exception)[:200],
            where,
        )
        return bad_request_response(request)


def provider_webhook(view):
    """Wrap a third-party webhook view: unconfigured is 404, a malformed payload is 400.

    django-anymail serves a webhook address for every provider it knows, raises
    ImproperlyConfigured when one is called without that provider's key (on a site that
    does not use the provider, the address does not exist), and indexes the payload
    directly (KeyError, ValueError, TypeError on a body that is not the provider's).
    Both are the caller's doing, not a server error; each is logged on one line.
    """
    import functools

    from django.core.exceptions import ImproperlyConfigured
    from django.http import Http404

    # Providers whose calls anymail can only check by the shared basic-auth secret
    # (Postmark, Brevo, Amazon SES, SendGrid): without ANYMAIL_WEBHOOK_SECRET, anymail
    # warns and accepts anyone's call, and a forged "complaint" would unsubscribe any
    # reader. Such an address does not exist until the secret is set. (Mailgun checks
    # its own signature, with MAILGUN_WEBHOOK_SIGNING_KEY.)
    needs_secret = getattr(getattr(view, "view_class", None), "warn_if_no_basic_auth", False)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if needs_secret:
            from anymail.utils import get_anymail_setting

            if not get_anymail_setting("webhook_secret", default=None):
                logger.warning(
                    "%s called, but ANYMAIL_WEBHOOK_SECRET is not set: refused",
                    request.path[:200],
                )
                raise Http404
        try:
            return view(request, *args, **kwargs)
        except ImproperlyConfigured as exc:
            logger.warning("Unconfigured %s called: %s", request.path[:200], str(exc)[:200])
            raise Http404 from None
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            logger.warning(
                "Malformed payload to %s: %s: %s",
                request.path[:200],
                type(exc).__name__,
                str(exc)[:200],
            )
            return bad_request_response(request)

    return wrapper
