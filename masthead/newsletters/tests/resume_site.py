"""Build a newsroom with N subscribers and a published issue in a data folder, or
report the state of its send. Run in a fresh process (the tests' database is in memory)::

    python -m masthead.newsletters.tests.resume_site build N
    python -m masthead.newsletters.tests.resume_site state

with ``MASTHEAD_DATA_DIR`` naming the site.
"""

import json
import sys


def build(count: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", interactive=False, verbosity=0)
    from masthead.newsletters.models import Issue, Newsletter, Subscriber, Subscription
    from masthead.sections.factories import make_test_site

    make_test_site(title="The Resume Ledger")
    from wagtail.models import Site

    newsletter = Newsletter.objects.create(
        site=Site.objects.get(is_default_site=True), name="Morning", slug="morning"
    )
    now = timezone.now()
    subscribers = Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n:05d}@example.org") for n in range(count)
    )
    Subscription.objects.bulk_create(
        Subscription(subscriber=s, newsletter=newsletter, requested_at=now, confirmed_at=now)
        for s in subscribers
    )
    issue = Issue.objects.create(
        newsletter=newsletter, subject="Resumed issue", intro="<p>Hello.</p>", live=False
    )
    issue.save_revision().publish()
    sys.stdout.write(json.dumps({"send": issue.send.pk, "total": issue.send.total}) + "\n")


def state() -> None:
    from django.db.models import Count

    from masthead.newsletters.models import Delivery, Send

    send = Send.objects.get()
    counts = dict(Delivery.objects.values_list("status").annotate(n=Count("pk")))
    resent = list(
        Delivery.objects.filter(error__startswith="resent").values_list(
            "subscriber__email", flat=True
        )
    )
    sys.stdout.write(json.dumps({"status": send.status, "counts": counts, "resent": resent}) + "\n")


if __name__ == "__main__":
    import django

    django.setup()
    command = sys.argv[1]
    if command == "build":
        build(int(sys.argv[2]))
    else:
        state()
