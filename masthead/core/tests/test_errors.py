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


def test_a_database_out_of_reach_gives_503_with_retry_after_and_one_log_line(
    newsroom, monkeypatch, caplog
):
    from django.db import OperationalError, connection
    from django.db.backends.signals import connection_created

    from masthead.core import views

    def unreachable(self, request, *args, **kwargs):
        raise OperationalError("connection failed: FATAL: sorry, too many clients already")

    monkeypatch.setattr(HomePage, "get_context", unreachable)
    monkeypatch.setattr(
        views, "DATABASE_OUTAGE", views.Outage(views.DATABASE_OUTAGE.logger, "The database")
    )
    client = Client(raise_request_exception=False)
    with caplog.at_level("WARNING"):
        responses = [client.get("/") for _ in range(3)]
    for response in responses:
        assert response.status_code == 503
        assert response["Retry-After"] == str(views.RETRY_AFTER_SECONDS)
        assert response["Cache-Control"] == "no-store"
        html = response.content.decode()
        assert "Back in a moment" in html and "too many clients" not in html
    # One line for the outage, no traceback per request.
    assert [r.getMessage() for r in caplog.records if r.levelname != "DEBUG"] == [
        "The database unavailable: OperationalError: connection failed: FATAL: sorry, "
        "too many clients already"
    ]
    assert not any(r.exc_info for r in caplog.records)
    caplog.clear()
    with caplog.at_level("WARNING"):
        connection_created.send(sender=type(connection), connection=connection)
    assert "The database available again" in caplog.text
    assert "3 failed requests" in caplog.text
