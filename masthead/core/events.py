"""Things partners may be told of, said by the app where they happen.

An app that makes something public outside a story's publication (a live entry
appearing, a newsletter issue sent) sends ``public_event``; whoever tells the outside
world (masthead.webhooks) listens. Neither app imports the other (docs: DESIGN.md,
"Which way dependencies run").

Something told later than it happened (a webhook retried for a day) must still be
public then: the app registers a check per event with :func:`register_check`, and
:func:`still_public` asks it before anything leaves the site.
"""

from collections.abc import Callable

from django.dispatch import Signal

# Sent with ``event`` (a name such as "live_entry.published"), ``data`` (a dict that
# JSON can carry, absolute addresses only) and ``story_id`` (the story it belongs to,
# or None), inside the transaction that made it public.
public_event = Signal()

_checks: dict[str, Callable[[dict], bool]] = {}


def register_check(event: str, check: Callable[[dict], bool]) -> None:
    """Let ``check(data)`` say whether ``event`` with ``data`` may still be told."""
    _checks[event] = check


def still_public(event: str, data: dict) -> bool:
    """Return whether ``event`` may still be told (True for events without a check)."""
    check = _checks.get(event)
    return True if check is None else bool(check(data))
