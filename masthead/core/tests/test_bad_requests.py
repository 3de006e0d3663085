"""Hostile input that used to give a 500 (issue 22, point 5 and 6): now a clear answer."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.documents.models import Document

from masthead.accounts.roles import ADMINISTRATORS, EDITORS, give_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client():
    """A client that gets the 500 page instead of the exception, as a reader would."""
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "query",
    [
        "to=9999-12-31",
        "from=9999-12-31&to=9999-12-31",
        "from=0001-01-01",
        "from=0001-01-01&to=0001-01-01&q=border",
        "to=9999-12-31&q=border&sort=date",
    ],
)
def test_search_at_the_edges_of_the_calendar_answers_normally(newsroom, strict_client, query):
    response = strict_client.get(f"/search/?{query}")
    assert response.status_code == 200


def test_search_to_the_last_day_finds_every_story(newsroom, client):
    html = client.get("/search/?q=border&to=9999-12-31").content.decode()
    assert "Story number 0 about the border" in html


def test_a_media_name_longer_than_the_file_system_allows_is_a_404(strict_client):
    response = strict_client.get("/media/documents/" + "a" * 300 + ".pdf")
    assert response.status_code == 404
    response = strict_client.get("/media/" + "/".join(["b" * 250] * 20))
    assert response.status_code == 404


def test_editorial_check_without_the_form_fields_is_a_400(
    newsroom, strict_client, django_user_model
):
    user = django_user_model.objects.create_user("ed", "ed@example.org", "pw")
    give_role(user, EDITORS)
    strict_client.force_login(user)
    url = reverse("editorial_live_check", args=[newsroom.stories[0].pk])
    response = strict_client.post(url, {"title": "Only a headline"})
    assert response.status_code == 400
    assert "nothing was checked" in response.content.decode()


def test_a_missing_form_field_anywhere_is_a_400_page_not_a_500():
    from django.test import RequestFactory
    from django.utils.datastructures import MultiValueDictKeyError

    from masthead.core.bad_request import BadRequestMiddleware

    middleware = BadRequestMiddleware(lambda request: None)
    request = RequestFactory().post("/admin/pages/1/edit/", {})
    for exc in (
        MultiValueDictKeyError("body-count"),
        OverflowError("date value out of range"),
        OSError(36, "File name too long"),
        ValueError("A string literal cannot contain NUL (0x00) characters."),
    ):
        response = middleware.process_exception(request, exc)
        assert response.status_code == 400, exc
        assert "could not be understood" in response.content.decode()
        assert "Traceback" not in response.content.decode()
    # Our own bugs stay 500s: only input errors are the client's.
    assert middleware.process_exception(request, RuntimeError("bug")) is None
    assert middleware.process_exception(request, ValueError("bug")) is None


def test_documents_carry_no_content_encoding_none(client):
    document = Document.objects.create(
        title="Budget", file=SimpleUploadedFile("budget.txt", b"Budget lines\n")
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Budget lines\n"
    assert "Content-Encoding" not in response.headers


def test_reader_login_with_an_off_site_next_lands_on_the_front_page(
    newsroom, client, django_user_model
):
    django_user_model.objects.create_user("reader", "r@example.org", "a-long-pass-42")
    response = client.post(
        "/_util/login/?next=https://evil.example/",
        {"username": "reader", "password": "a-long-pass-42", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get(response["Location"]).status_code == 200


def test_editors_do_not_see_the_list_of_usernames_in_the_author_form(django_user_model):
    django_user_model.objects.create_user("secret-admin-name", "s@example.org", "pw")
    url = reverse("wagtailsnippets_people_author:add")
    for role, sees in ((EDITORS, False), (ADMINISTRATORS, True)):
        user = django_user_model.objects.create_user(f"u-{role}", f"{role}@example.org", "pw")
        give_role(user, role)
        client = Client()
        client.force_login(user)
        html = client.get(url).content.decode()
        assert ("secret-admin-name" in html) is sees, role


def test_a_wrong_method_gets_a_readable_page():
    from django.http import HttpResponseNotAllowed
    from django.test import RequestFactory

    from masthead.core.bad_request import BadRequestMiddleware

    middleware = BadRequestMiddleware(lambda request: HttpResponseNotAllowed(["POST"]))
    response = middleware(RequestFactory().get("/admin/editorial/accept-word/"))
    assert response.status_code == 405
    assert "does not accept that kind of request" in response.content.decode()
    assert response["Allow"] == "POST"
    # A HEAD request keeps its empty body.
    assert middleware(RequestFactory().head("/x/")).content == b""


def test_wagtails_deliberate_error_page_is_not_found(strict_client, django_user_model):
    # Found by tests/test_fuzz_admin_other.py: /admin/failwhale/ raises on purpose.
    user = django_user_model.objects.create_user("ed2", "ed2@example.org", "pw")
    give_role(user, ADMINISTRATORS)
    strict_client.force_login(user)
    assert strict_client.get("/admin/failwhale/").status_code == 404


@pytest.mark.parametrize(
    "address", ["/anymail/mandrill/", "/anymail/mailgun/tracking/", "/anymail/sendgrid/inbound/"]
)
def test_provider_webhooks_answer_junk_without_a_500(strict_client, address):
    # Found by tests/test_fuzz_public.py: django-anymail raised ImproperlyConfigured for a
    # provider without keys, KeyError for a payload that is not the provider's (500s).
    assert strict_client.post(address, {"x": "1"}).status_code in (400, 404)
