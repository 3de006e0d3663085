"""The updates endpoint a live page's script polls: one cached answer per page.

The answer does not depend on what the reader already has (no cursor in the address),
so every reader of a page shares one cached copy (the page cache and its WSGI fast path,
a proxy in front) and publishing an entry invalidates exactly that copy, through the
page's cache tag. The script keeps the entries it has not got yet.
"""

import datetime as dt

from django.http import Http404, HttpRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import LiveEntry, LivePage

# More than a reader can miss between two polls; a reader who missed more gets a link.
UPDATES_SIZE = 20
# Entries changed after they were published (a correction, a fix, pinned or unpinned),
# most recent change first: their new HTML goes out too, so open pages replace them.
EDITS_SIZE = 20
# Saved again this long after it was written: changed (one save sets both times).
CHANGED_AFTER = dt.timedelta(seconds=1)


def updates(request: HttpRequest, page_id: int) -> JsonResponse:
    """Return the newest visible entries of a live page as JSON, with their HTML.

    ``entries``: the ``UPDATES_SIZE`` newest visible entries and the ``EDITS_SIZE`` most
    recently changed ones, newest first, each with its HTML and ``version`` (the time of
    its last change). ``versions``: every visible entry's version by id, so a page drops
    an entry that is gone (deleted, back to a draft) and replaces one that changed.
    """
    from masthead.caching import tags

    page = LivePage.objects.live().public().filter(pk=page_id).first()
    if page is None:
        raise Http404(_("There is no such live page."))
    tags.add(request, tags.page(page.pk))
    now = timezone.now()
    visible = LiveEntry.objects.filter(page=page).visible(now)
    rows = list(visible.values_list("pk", "published_at", "created_at", "updated_at"))
    versions = {pk: updated.isoformat() for pk, _published, _created, updated in rows}
    newest = sorted(rows, key=lambda row: (row[1], row[0]), reverse=True)[:UPDATES_SIZE]
    edited = sorted(
        (row for row in rows if row[3] - row[2] > CHANGED_AFTER),
        key=lambda row: row[3],
        reverse=True,
    )[:EDITS_SIZE]
    wanted = {row[0] for row in newest} | {row[0] for row in edited}
    entries = list(visible.filter(pk__in=wanted).newest_first()) if wanted else []
    data = {
        "state": page.state_at(now),
        "url": page.url,
        "entries": [
            {
                "id": entry.anchor,
                "published": entry.published_at.isoformat(),
                "version": versions[entry.pk],
                "pinned": entry.pinned,
                "html": render_to_string("live/entry.html", {"entry": entry}, request=request),
            }
            for entry in entries
        ],
        "versions": {f"entry-{pk}": version for pk, version in versions.items()},
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})
