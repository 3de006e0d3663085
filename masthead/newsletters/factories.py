import factory
from wagtail.models import Site

from .models import Newsletter, Subscriber, Subscription


class NewsletterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Newsletter

    site = factory.LazyFunction(lambda: Site.objects.get(is_default_site=True))
    name = factory.Sequence(lambda n: f"Briefing {n}")
    slug = factory.Sequence(lambda n: f"briefing-{n}")
    description = "The day's news in five minutes."


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"reader{n}@example.org")


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    subscriber = factory.SubFactory(SubscriberFactory)
    newsletter = factory.SubFactory(NewsletterFactory)
    requested_at = factory.Faker("date_time_this_year", tzinfo=__import__("datetime").UTC)
    confirmed_at = factory.LazyAttribute(lambda o: o.requested_at)
