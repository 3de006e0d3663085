import factory
import wagtail_factories
from django.utils.html import escape
from wagtail.rich_text import RichText

from .models import ArticleAuthor, ArticlePage, ArticleTopic, Correction


def body_from_paragraphs(paragraphs: list) -> list:
    """Return StreamField data for a list of paragraphs, quotes and headings.

    A string becomes a paragraph; a dict with ``quote`` becomes a quote block; a dict
    with ``heading`` becomes a heading; a dict with ``image`` becomes a figure.
    """
    data = []
    for item in paragraphs:
        if isinstance(item, str):
            data.append(("paragraph", RichText(f"<p>{escape(item)}</p>")))
        elif "quote" in item:
            data.append(("quote", item))
        elif "heading" in item:
            data.append(("heading", item["heading"]))
        elif "image" in item:
            data.append(("image", item))
    return data


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Ministers meet to settle the border question, round {n}")
    slug = factory.Sequence(lambda n: f"story-{n}")
    standfirst = "The talks decide whether the crossing reopens before winter."
    body = factory.LazyFunction(
        lambda: body_from_paragraphs(
            [
                "Foreign ministers met on Tuesday to discuss the reopening of the crossing.",
                {
                    "quote": "We are close to an agreement.",
                    "attribution": "Irina Valek",
                    "role": "Foreign Minister",
                },
                "Officials said a second round is planned for next month.",
            ]
        )
    )

    class Meta:
        model = ArticlePage
        skip_postgeneration_save = True

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            for index, author in enumerate(extracted):
                ArticleAuthor.objects.get_or_create(
                    page=self, author=author, defaults={"sort_order": index}
                )

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            for index, topic in enumerate(extracted):
                ArticleTopic.objects.get_or_create(
                    page=self, topic=topic, defaults={"sort_order": index}
                )

    @factory.post_generation
    def corrections(self, create, extracted, **kwargs):
        if create and extracted:
            for published_at, text in extracted:
                Correction.objects.create(page=self, published_at=published_at, text=text)
