"""A live page with a day of entries and two running stories for the demo newsroom.

Every object is looked up by its slug first, so running the seed twice adds nothing.
The running stories take their members from the storylines the generator labelled, the
way an editor would accept them: the proposals an editor sees are measured against
these labels by ``python -m bench.running.proposals --demo``.
"""

from datetime import timedelta

from django.db import transaction

from masthead.articles.factories import body_from_paragraphs
from masthead.articles.models import ArticlePage
from masthead.live.factories import LivePageFactory
from masthead.live.models import LiveEntry, LivePage
from masthead.running.models import RunningStory, RunningStoryMember

from . import generator

LIVE_SLUG = "live-port-halden-strike-day"
RUNNING = [
    (
        "strike",
        "The Port Halden dock strike",
        "Dock workers against the port over pay, from the vote to the talks.",
    ),
    ("election", "Dastan's election", "The campaign, the count and the disputes over the result."),
]
# (hours before now, headline, text, author slug, pinned, correction)
ENTRIES = [
    (
        14,
        "Picket lines at dawn",
        "Several hundred dock workers gathered at the main gate of Port Halden before the morning shift.",
        "ruben-halloway",
        False,
        "",
    ),
    (
        13,
        "",
        "No container ship has been unloaded since midnight, the port authority said.",
        "ruben-halloway",
        False,
        "",
    ),
    (
        12,
        "What we know so far",
        "The Harbour Workers' Union wants a pay rise in line with prices; the port offers less than half of that. Talks broke down on Friday.",
        "ruben-halloway",
        True,
        "",
    ),
    (
        11,
        "",
        "Queues of lorries reach back to the ring road as drivers wait for cargo that is not coming off the ships.",
        "ruben-halloway",
        False,
        "",
    ),
    (
        10,
        "Union leader speaks",
        "Hana Vetrova told the crowd the strike would last as long as it takes.",
        "ruben-halloway",
        False,
        "An earlier version of this entry gave the union leader's name incorrectly.",
    ),
    (
        9,
        "",
        "The port authority says 14 ships are now waiting offshore.",
        "ruben-halloway",
        False,
        "",
    ),
    (
        8,
        "Ministry calls for talks",
        "The labour ministry asked both sides to meet under a mediator by the end of the week.",
        "ruben-halloway",
        False,
        "",
    ),
    (
        7,
        "",
        "Fishing boats are still landing their catch at the old harbour, which is not affected by the strike.",
        "ruben-halloway",
        False,
        "",
    ),
    (
        6,
        "",
        "Shops in the harbour district report fewer customers than on an ordinary weekday.",
        "ruben-halloway",
        False,
        "",
    ),
    (
        5,
        "Talks agreed",
        "Both sides have accepted a mediator. The first meeting is set for tomorrow morning.",
        "ruben-halloway",
        False,
        "",
    ),
    (
        4,
        "",
        "Strikers say they will keep the picket lines until the talks produce an offer.",
        "ruben-halloway",
        False,
        "",
    ),
    (
        3,
        "",
        "The port authority expects the backlog to take a week to clear once work resumes.",
        "ruben-halloway",
        False,
        "",
    ),
    (
        2,
        "Evening shift stays out",
        "The evening shift did not report for work either, the union said.",
        "ruben-halloway",
        False,
        "",
    ),
    (
        1,
        "",
        "The picket at the main gate is thinning as night falls; a few dozen workers remain.",
        "ruben-halloway",
        False,
        "",
    ),
]
SCHEDULED = ("Morning briefing", "Our reporter will be at the talks when they start.", 2)


def ensure_live_page(section, authors, topics, images, now) -> LivePage:
    """Return the demo's live page, made with a day of entries if missing."""
    page = LivePage.objects.filter(slug=LIVE_SLUG).first()
    if page is not None:
        return page
    now = now.replace(microsecond=0)
    with transaction.atomic():
        page = LivePageFactory(
            parent=section,
            slug=LIVE_SLUG,
            title="Live: strike day at Port Halden",
            kicker="Live",
            standfirst="Dock workers walk out over pay; follow the day as it happens.",
            body=body_from_paragraphs(
                [
                    "Dock workers at Port Halden are on strike for a second day over pay.",
                    "The Harbour Workers' Union says wages have fallen behind prices for three years; the port authority says it cannot pay more without raising fees.",
                    {
                        "quote": "We will stay out as long as it takes.",
                        "attribution": "Hana Vetrova",
                        "role": "Leader of the Harbour Workers' Union",
                    },
                    "We follow the picket lines, the port and the talks through the day.",
                ]
            ),
            lead_image=images["strike-0"],
            lead_image_caption="The main gate of Port Halden",
            coverage_start=now - timedelta(hours=14, minutes=30),
            live=False,
            authors=[authors["ruben-halloway"]],
            topics=[topics[slug] for slug in ("harbour-workers-union", "labour") if slug in topics],
        )
        page.save_revision().publish()
        ArticlePage.objects.filter(pk=page.pk).update(
            first_published_at=now - timedelta(hours=14, minutes=30)
        )
        for hours, headline, text, author, pinned, correction in ENTRIES:
            LiveEntry.objects.create(
                page=page,
                headline=headline,
                body=body_from_paragraphs([text]),
                author=authors.get(author),
                published_at=now - timedelta(hours=hours, minutes=(hours * 7) % 40),
                pinned=pinned,
                correction=correction,
            )
        headline, text, hours = SCHEDULED
        LiveEntry.objects.create(
            page=page,
            headline=headline,
            body=body_from_paragraphs([text]),
            author=authors.get("ruben-halloway"),
            published_at=now + timedelta(hours=hours),
        )
    return page


def ensure_running_stories(now, live_page: LivePage | None = None) -> list[RunningStory]:
    """Return the demo's running stories, with the stories the generator labelled as theirs."""
    labels: dict[str, list[str]] = {}
    for spec in generator.story_specs(now):
        labels.setdefault(spec.storyline, []).append(spec.slug)
    made = []
    for key, name, description in RUNNING:
        running = RunningStory.objects.filter(name=name).first()
        if running is None:
            running = RunningStory.objects.create(name=name, description=description)
            ids = list(
                ArticlePage.objects.filter(slug__in=labels.get(key, []))
                .order_by("first_published_at")
                .values_list("pk", flat=True)
            )
            if key == "strike" and live_page is not None:
                ids.append(live_page.pk)
            RunningStoryMember.objects.bulk_create(
                RunningStoryMember(running_story=running, story_id=pk, sort_order=n)
                for n, pk in enumerate(ids)
            )
        made.append(running)
    return made
