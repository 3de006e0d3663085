"""What an editor adds to a site made by `masthead init`, for the page-kind browser test.

Run inside `masthead manage shell` on the new site (``test_newsroom_pages.py``), after
the WordPress import (which brings an About page): the identity's tagline and footer, an
Ethics policy page, twelve stories with pictures from the demo's story generator (its
text, not the demo site; some carry corrections) and a live page. Returns the addresses
of each page kind made.
"""

import io

from django.core.files.images import ImageFile
from django.utils import timezone

STORIES = 12
# The WordPress export brings the About page.
PAGES = (
    (
        "ethics-policy",
        "Ethics policy",
        "ethics",
        "How we report, and what we will not do.",
        "We name our sources unless naming them would put someone in danger.",
    ),
)


def write() -> dict:
    from wagtail.models import Site

    from masthead.articles.models import ArticlePage
    from masthead.demo import generator, live, seed
    from masthead.demo.storylines import STORYLINES
    from masthead.discovery.related import rebuild_all
    from masthead.images.models import MastheadImage
    from masthead.navigation.models import SiteIdentity
    from masthead.pages.models import InformationPage
    from masthead.sections.models import HomePage, SectionPage

    now = timezone.now()
    home = HomePage.objects.get()
    identity = SiteIdentity.for_site(Site.objects.get(is_default_site=True))
    identity.tagline = "News from the upper valley"
    identity.footer_text = "Reader-funded since 2019."
    identity.contact_email = "desk@valley.example"
    identity.save()
    for slug, title, kind, standfirst, text in PAGES:
        page = InformationPage(title=title, slug=slug, kind=kind, standfirst=standfirst)
        page.body = [("paragraph", f"<p>{text}</p>")]
        home.add_child(instance=page)
        page.save_revision().publish()
    sections = {s.slug: s for s in SectionPage.objects.child_of(home)}
    authors, topics = seed.ensure_people_and_topics()
    specs = sorted(generator.story_specs(now), key=lambda s: s.published_at)[-STORIES:]
    colours = {line["key"]: line["colour"] for line in STORYLINES}
    places = {line["key"]: line["place"] for line in STORYLINES}
    images = {}
    for key in sorted({spec.image_key for spec in specs} | {"strike-0"}):
        line, variant = key.rsplit("-", 1)
        data = generator.picture(line, colours[line], int(variant), width=1200, height=675)
        image = MastheadImage(
            title=key,
            caption=f"A view of {places[line]}",
            credit="Valley Courier illustration",
            description=f"Illustrated skyline of {places[line]} above the water at dusk",
        )
        image.file = ImageFile(io.BytesIO(data), name=f"{key}.jpg")
        image.save()
        images[key] = image
    for spec in specs:
        seed.create_story(spec, sections[spec.section], authors, topics, images)
    live_page = live.ensure_live_page(sections["news"], authors, topics, images, now)
    rebuild_all()
    with_picture = (
        ArticlePage.objects.live()
        .filter(lead_image__isnull=False, livepage__isnull=True, article_topics__isnull=False)
        .order_by("-first_published_at")
        .first()
    )
    topic = with_picture.article_topics.select_related("topic").first().topic
    author = with_picture.article_authors.select_related("author").first().author
    # An imported story as an archive has them: no picture (the export's first post).
    imported = ArticlePage.objects.live().filter(lead_image__isnull=True, livepage__isnull=True)
    imported = imported.filter(title__startswith="Ferry timetable changes").first() or (
        imported.order_by("-first_published_at").first()
    )
    return {
        "story": with_picture.url,
        "imported_story": imported.url,
        "section": with_picture.get_parent().url,
        "topic": f"/topics/{topic.slug}/",
        "author": f"/authors/{author.slug}/",
        "live": live_page.url,
        "search_word": max(with_picture.title.split(), key=len).strip(",.:;'\""),
        "sections": [s.title for s in SectionPage.objects.child_of(home).live().order_by("path")],
    }
