"""A newsroom whose every editor-written field holds script-injection vectors.

Each field gets every vector of the corpus that fits its length limit, packed several to
a value (separated by a space) so that a few hundred pages carry the whole corpus. Each
value is checked with the field's own validation first, as the admin form would; a value
the field refuses is counted, not stored. Rich text goes through the converters the
admin and the importers use (Draftail's contentstate, the WordPress/feed importer), never
straight into the database.

The returned plan tells the test which URLs to load and what text each field must show.
"""

import io
import json
import math
import os
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage

from .vectors import Pack, load_vectors, pack

# A story page is the most expensive page to load; the article-level fields with the
# smallest limits decide how many stories the corpus needs.
MAX_STORIES = int(os.environ.get("MASTHEAD_XSS_MAX_STORIES", "400"))
# Author and topic names show on every story that carries them, in the search filters
# and in feeds; their own pages (bio, description) are loaded for the first few only,
# whose bios and descriptions carry the whole corpus between them.
PROFILE_PAGES = 12
# Every section is in the navigation of every page; a few hostile ones are enough.
SECTIONS = 8


class Plan:
    """Field values made from the corpus, with counts of what each field took."""

    def __init__(self, vectors: list[str]):
        self.vectors = vectors
        self.fields: dict[str, dict] = {}

    def field(
        self,
        name: str,
        limit: int | None,
        *,
        single_line: bool = True,
        per_value: int | None = None,
        validate=None,
    ) -> list[Pack]:
        packs, too_long = pack(self.vectors, limit, single_line=single_line, per_value=per_value)
        kept, refused = [], 0
        for item in packs:
            try:
                if validate:
                    validate(item.value)
            except ValidationError:
                refused += len(item.vectors)
                continue
            kept.append(item)
        self.fields[name] = {
            "values": len(kept),
            "vectors": sum(len(p.vectors) for p in kept),
            "too_long": len(too_long),
            "refused": refused,
        }
        return kept

    def shrink(self, name: str, packs: list[Pack], count: int) -> list[Pack]:
        """Keep the first ``count`` values of a field (more values than places to put them)."""
        kept = packs[:count]
        dropped = sum(len(p.vectors) for p in packs[count:])
        self.fields[name]["values"] = len(kept)
        self.fields[name]["vectors"] -= dropped
        self.fields[name]["no_room"] = dropped
        return kept


def _model_validator(model, field_name: str):
    model_field = model._meta.get_field(field_name)
    return lambda value: model_field.clean(value, None)


def _block_validator(block):
    return lambda value: block.clean(value)


def _tiny_jpeg(n: int) -> ImageFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (32, 18), (40 + n % 200, 90, 120)).save(buffer, "JPEG")
    buffer.seek(0)
    return ImageFile(buffer, name=f"hostile-{n}.jpg")


def _contentstate(text: str, url: str | None = None) -> str:
    """Return the contentstate JSON Draftail posts for one typed paragraph (or link)."""
    entity_ranges, entity_map = [], {}
    if url is not None:
        entity_ranges = [{"offset": 0, "length": len(text), "key": 0}]
        entity_map = {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}}}
    block = {
        "key": "b0",
        "type": "unstyled",
        "depth": 0,
        "text": text,
        "inlineStyleRanges": [],
        "entityRanges": entity_ranges,
        "data": {},
    }
    return json.dumps({"blocks": [block], "entityMap": entity_map})


def _round_robin(items: list, buckets: int) -> list[list]:
    out: list[list] = [[] for _ in range(buckets)]
    for index, item in enumerate(items):
        out[index % buckets].append(item)
    return out


def seed(base_url: str, progress) -> dict:
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
    from wagtail.rich_text import RichText

    from masthead.articles.blocks import RICH_TEXT_FEATURES, FigureBlock, QuoteBlock
    from masthead.articles.models import ArticleAuthor, ArticlePage, ArticleTopic, Correction
    from masthead.demo.seed import RENDITION_SPECS, ensure_home
    from masthead.images.models import MastheadImage, MastheadRendition
    from masthead.imports.convert import html_to_blocks
    from masthead.people.models import Author
    from masthead.sections.models import SectionPage, Topic
    from masthead.syndication.images import SHARE_IMAGE_SPEC
    from masthead.syndication.structured_data import ARTICLE_IMAGE_SPECS

    vectors = load_vectors()
    plan = Plan(vectors)
    progress(f"{len(vectors)} vectors")

    # Article-level fields ---------------------------------------------------------
    art = ArticlePage
    f_title = plan.field("headline", 255, validate=_model_validator(art, "title"))
    f_kicker = plan.field("kicker", 40, validate=_model_validator(art, "kicker"))
    f_standfirst = plan.field(
        "standfirst", 320, single_line=False, validate=_model_validator(art, "standfirst")
    )
    f_caption = plan.field(
        "lead image caption", 400, validate=_model_validator(art, "lead_image_caption")
    )
    f_credit = plan.field(
        "lead image credit", 200, validate=_model_validator(art, "lead_image_credit")
    )
    f_source = plan.field("source name", 120, validate=_model_validator(art, "source_name"))
    f_seo = plan.field("SEO title", 255, validate=_model_validator(art, "seo_title"))
    stories = min(
        MAX_STORIES,
        max(len(f) for f in (f_title, f_standfirst, f_caption, f_credit, f_source, f_seo)),
    )
    f_kicker = plan.shrink("kicker", f_kicker, stories)
    per_story = math.ceil(len(vectors) / stories)
    f_description = plan.field("search description", None, single_line=False, per_value=per_story)
    f_url = plan.field("source URL", 200, per_value=1, validate=_model_validator(art, "source_url"))
    f_correction = plan.field("correction", None, single_line=False, per_value=per_story)

    # People, topics, sections, images -------------------------------------------
    f_author = plan.field("author name", 120, validate=_model_validator(Author, "name"))
    f_job = plan.field("author job title", 120, validate=_model_validator(Author, "job_title"))
    n_authors = max(len(f_author), len(f_job))
    f_bio = plan.field(
        "author bio",
        None,
        single_line=False,
        per_value=math.ceil(len(vectors) / PROFILE_PAGES),
    )
    f_topic = plan.field("topic name", 120, validate=_model_validator(Topic, "name"))
    f_topic_text = plan.field(
        "topic description",
        None,
        single_line=False,
        per_value=math.ceil(len(vectors) / PROFILE_PAGES),
    )
    f_section = plan.field("section title", 255, validate=_model_validator(SectionPage, "title"))
    f_section_text = plan.field(
        "section description", 300, validate=_model_validator(SectionPage, "description")
    )
    f_img_caption = plan.field(
        "image caption", 400, validate=_model_validator(MastheadImage, "caption")
    )
    f_img_credit = plan.field(
        "image credit", 200, validate=_model_validator(MastheadImage, "credit")
    )
    f_img_alt = plan.field(
        "image alt text", None, single_line=False, per_value=math.ceil(len(vectors) / 60)
    )

    # Body blocks ------------------------------------------------------------------
    quote_block = QuoteBlock()
    figure_block = FigureBlock()
    f_heading = plan.field("body heading", 160)
    f_paragraph = plan.field("body text (typed in the editor)", None, per_value=1)
    f_link = plan.field("body link URL", None, per_value=1)
    f_imported = plan.field("body HTML (imported)", None, single_line=False, per_value=1)
    f_quote = plan.field("quote", None, single_line=False, per_value=1)
    f_attribution = plan.field(
        "quote attribution",
        120,
        validate=_block_validator(quote_block.child_blocks["attribution"]),
    )
    f_role = plan.field(
        "quote job title", 160, validate=_block_validator(quote_block.child_blocks["role"])
    )
    f_fig_caption = plan.field(
        "figure caption", 400, validate=_block_validator(figure_block.child_blocks["caption"])
    )
    f_fig_credit = plan.field(
        "figure credit", 200, validate=_block_validator(figure_block.child_blocks["credit"])
    )
    f_search = plan.field("search query", 300)
    progress(f"{stories} stories planned; fields: {len(plan.fields)}")

    # Make it ------------------------------------------------------------------------
    home = ensure_home()
    f_section = plan.shrink("section title", f_section, SECTIONS)
    f_section_text = plan.shrink("section description", f_section_text, SECTIONS)
    n_sections = SECTIONS
    sections = []
    for n in range(n_sections):
        section = SectionPage(
            title=f_section[n].value if n < len(f_section) else f"Section {n}",
            slug=f"s{n}",
            description=f_section_text[n].value if n < len(f_section_text) else "",
        )
        home.add_child(instance=section)
        sections.append(section)
    progress(f"{len(sections)} sections")

    n_images = max(len(f_img_caption), len(f_img_credit), len(f_img_alt))
    images = []
    for n in range(n_images):
        image = MastheadImage(
            title=f"Hostile picture {n}",
            caption=f_img_caption[n].value if n < len(f_img_caption) else "",
            credit=f_img_credit[n].value if n < len(f_img_credit) else "",
            description=f_img_alt[n].value if n < len(f_img_alt) else "",
        )
        image.file = _tiny_jpeg(n)
        image.save()
        images.append(image)
    # Every picture is the same 32x18 JPEG; its renditions are made once and shared, so
    # the pages do not spend the run resizing pictures.
    specs = [*RENDITION_SPECS, *ARTICLE_IMAGE_SPECS, SHARE_IMAGE_SPEC]
    made = images[0].get_renditions(*specs)
    MastheadRendition.objects.bulk_create(
        [
            MastheadRendition(
                image=image,
                filter_spec=r.filter_spec,
                focal_point_key=r.focal_point_key,
                file=r.file.name,
                width=r.width,
                height=r.height,
            )
            for image in images[1:]
            for r in made.values()
        ]
    )
    progress(f"{len(images)} pictures")

    authors = [
        Author.objects.create(
            name=f_author[n].value if n < len(f_author) else f"Reporter {n}",
            slug=f"a{n}",
            job_title=f_job[n].value if n < len(f_job) else "",
            bio=f_bio[n].value if n < len(f_bio) else "",
        )
        for n in range(n_authors)
    ]
    topics = [
        Topic.objects.create(
            name=value.value,
            slug=f"t{n}",
            description=f_topic_text[n].value if n < len(f_topic_text) else "",
        )
        for n, value in enumerate(f_topic)
    ]
    progress(f"{len(authors)} authors, {len(topics)} topics")

    converter = ContentstateConverter(features=RICH_TEXT_FEATURES)
    bodies: list[list] = [[] for _ in range(stories)]
    for n, item in enumerate(f_paragraph):
        html = converter.to_database_format(_contentstate(vectors[item.vectors[0]]))
        bodies[n % stories].append(("paragraph", RichText(html)))
    for n, item in enumerate(f_link):
        html = converter.to_database_format(_contentstate("a link", url=item.value))
        bodies[n % stories].append(("paragraph", RichText(html)))
    imported_blocks = 0
    importer_errors = []
    for n, item in enumerate(f_imported):
        try:
            conversion = html_to_blocks(item.value, lambda *args: (None, None))
        except Exception as error:
            importer_errors.append(f"{type(error).__name__}: {item.value[:80]}")
            continue
        for block in conversion.blocks:
            # An embed would be fetched from its provider when the page renders; the
            # browser tests make no outside requests.
            if block["type"] != "embed":
                bodies[n % stories].append((block["type"], block["value"]))
                imported_blocks += 1
    for n, item in enumerate(f_heading):
        bodies[n % stories].append(("heading", item.value))
    for n in range(max(len(f_quote), len(f_attribution), len(f_role))):
        bodies[n % stories].append(
            (
                "quote",
                {
                    "quote": f_quote[n].value if n < len(f_quote) else "Quoted words.",
                    "attribution": f_attribution[n].value if n < len(f_attribution) else "",
                    "role": f_role[n].value if n < len(f_role) else "",
                },
            )
        )
    for n in range(max(len(f_fig_caption), len(f_fig_credit))):
        bodies[n % stories].append(
            (
                "image",
                {
                    "image": images[0],
                    "caption": f_fig_caption[n].value if n < len(f_fig_caption) else "",
                    "credit": f_fig_credit[n].value if n < len(f_fig_credit) else "",
                },
            )
        )
    # Each picture once with its own caption, credit and alt text (no block override).
    for n, image in enumerate(images):
        bodies[n % stories].append(("image", {"image": image, "caption": "", "credit": ""}))

    topic_sets = _round_robin(topics, stories)
    correction_sets = _round_robin(f_correction, stories)
    now = timezone.now()
    story_plans = []
    for n in range(stories):
        section = sections[n % len(sections)]
        published = now - timedelta(minutes=5 * n + 1)
        page = ArticlePage(
            title=f_title[n].value if n < len(f_title) else f"Story {n}",
            slug=f"story-{n}",
            kicker=f_kicker[n].value if n < len(f_kicker) else "",
            standfirst=f_standfirst[n].value if n < len(f_standfirst) else "A standfirst.",
            seo_title=f_seo[n].value if n < len(f_seo) else "",
            search_description=f_description[n].value if n < len(f_description) else "",
            lead_image=images[n % len(images)],
            lead_image_caption=f_caption[n].value if n < len(f_caption) else "",
            lead_image_credit=f_credit[n].value if n < len(f_credit) else "",
            source_name=f_source[n].value if n < len(f_source) else "",
            source_url=f_url[n].value if n < len(f_url) else "",
            editors_choice=n % 9 == 0,
            body=bodies[n],
            live=True,
            first_published_at=published,
            last_published_at=published,
        )
        section.add_child(instance=page)
        ArticleAuthor.objects.bulk_create(
            [
                ArticleAuthor(page=page, author=authors[(2 * n + k) % len(authors)], sort_order=k)
                for k in range(2)
            ]
        )
        ArticleTopic.objects.bulk_create(
            [ArticleTopic(page=page, topic=t, sort_order=k) for k, t in enumerate(topic_sets[n])]
        )
        Correction.objects.bulk_create(
            [
                Correction(page=page, published_at=published, text=c.value)
                for c in correction_sets[n]
            ]
        )
        story_plans.append(
            {
                "url": "/" + page.url_path[len(home.url_path) :],
                "h1": page.title,
                "standfirst": page.standfirst,
                "kicker": page.kicker,
                "caption": page.lead_image_caption,
                "credit": page.lead_image_credit,
                "source": page.source_name,
                "seo": page.seo_title,
                "description": page.search_description,
            }
        )
        if (n + 1) % 50 == 0:
            progress(f"{n + 1}/{stories} stories")

    return {
        "base_url": base_url,
        "vectors": len(vectors),
        "fields": plan.fields,
        "imported_blocks": imported_blocks,
        "importer_errors": importer_errors,
        "stories": story_plans,
        "sections": [f"/s{n}/" for n in range(len(sections))],
        "topics": [
            {"url": f"/topics/{t.slug}/", "h1": t.name, "text": t.description}
            for t in topics[:PROFILE_PAGES]
        ],
        "authors": [
            {"url": f"/authors/{a.slug}/", "h1": a.name, "job": a.job_title, "text": a.bio}
            for a in authors[:PROFILE_PAGES]
        ],
        "searches": [item.value for item in f_search],
    }
