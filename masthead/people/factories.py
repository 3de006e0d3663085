import factory
from factory.django import DjangoModelFactory

from .models import Author


class AuthorFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Reporter {n}")
    slug = factory.Sequence(lambda n: f"reporter-{n}")
    job_title = "Correspondent"
    bio = "Covers diplomacy and trade across the region."

    class Meta:
        model = Author
        django_get_or_create = ("slug",)
