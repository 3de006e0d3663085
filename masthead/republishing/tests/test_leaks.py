"""Republication never offers a draft, scheduled, withdrawn, private or password-protected
story, even one whose licence allows it; its pixel never counts one."""

import pytest

from masthead.articles.models import ArticlePage
from masthead.republishing import copy
from masthead.republishing.models import Republication
from tests.test_draft_safety import MARKER, _hidden_stories

pytestmark = pytest.mark.django_db


def test_hidden_stories_cannot_be_republished(client, newsroom):
    hidden, _members = _hidden_stories(newsroom)
    ArticlePage.objects.filter(pk__in=[p.pk for p in hidden]).update(licence="cc-by-4.0")
    for page in hidden:
        response = client.get(f"/republish/{page.pk}/")
        assert response.status_code == 404, page.slug
        assert MARKER not in response.content.decode().lower()
        pixel = client.get(
            f"/republish/seen/{copy.make_token(page.pk)}.gif",
            HTTP_REFERER="https://partner.example/x",
            HTTP_USER_AGENT="Mozilla/5.0 Firefox/130.0",
        )
        assert pixel.status_code == 200
    assert not Republication.objects.exists()
    # A live story with the same licence is offered, so the refusals above are real.
    live = newsroom.stories[0]
    ArticlePage.objects.filter(pk=live.pk).update(licence="cc-by-4.0")
    assert client.get(f"/republish/{live.pk}/").status_code == 200
