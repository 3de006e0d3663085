"""Readers never see a traceback: errors get the site's own pages."""

import pytest
from django.test import Client

from masthead.sections.models import HomePage

pytestmark = pytest.mark.django_db


def test_an_error_in_a_page_gives_the_plain_500_page(newsroom, monkeypatch):
    def broken(self, request, *args, **kwargs):
        raise RuntimeError("template context exploded")

    monkeypatch.setattr(HomePage, "get_context", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "RuntimeError" not in html and "Traceback" not in html


def test_uploaded_media_are_served_with_their_type_and_nosniff(newsroom, client):
    path = newsroom.image.file.name
    response = client.get(f"/media/{path}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
