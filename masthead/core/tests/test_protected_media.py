"""Files of a restricted collection are not public under /media/ (issue 22, point 2)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction

from masthead.images.factories import MastheadImageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def vault():
    root = Collection.get_first_root_node()
    private = root.add_child(name="Leaked memos")
    restriction = CollectionViewRestriction.objects.create(
        collection=private, restriction_type="password", password="s3cret-pass"
    )
    open_one = root.add_child(name="Press kit")
    return private, open_one, restriction


def _media(path: str) -> str:
    return f"/media/{path}"


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _pass_password(client: Client, restriction) -> None:
    url = f"/documents/authenticate_with_password/{restriction.pk}/"
    response = client.post(url, {"password": "s3cret-pass", "return_url": "/"})
    assert response.status_code == 302


def test_a_document_of_a_private_collection_is_not_served_by_its_media_path(vault, client):
    private, _open, restriction = vault
    document = Document.objects.create(
        title="Memo", file=SimpleUploadedFile("memo.txt", b"TOP SECRET\n"), collection=private
    )
    response = client.get(_media(document.file.name))
    assert b"TOP SECRET" not in _body(response)
    assert response.status_code == 302 and response["Location"] == document.url
    # Wagtail's own address asks for the password.
    assert b"TOP SECRET" not in _body(client.get(document.url))
    # With the password given, both addresses serve it, never to a shared cache.
    _pass_password(client, restriction)
    response = client.get(_media(document.file.name))
    assert response.status_code == 200 and _body(response) == b"TOP SECRET\n"
    assert response["Cache-Control"] == "private, no-store"


def test_original_images_and_renditions_of_a_private_collection_are_404(vault, client):
    private, open_one, restriction = vault
    image = MastheadImageFactory(collection=private)
    rendition = image.get_rendition("width-100")
    public = MastheadImageFactory(collection=open_one)
    public_rendition = public.get_rendition("width-100")
    for path in (image.file.name, rendition.file.name):
        assert Client().get(_media(path)).status_code == 404, path
    for path in (public.file.name, public_rendition.file.name):
        response = Client().get(_media(path))
        assert response.status_code == 200, path
        assert response["Cache-Control"].startswith("public")
    _pass_password(client, restriction)
    for path in (image.file.name, rendition.file.name):
        assert client.get(_media(path)).status_code == 200, path


def test_a_sign_in_restriction_lets_signed_in_users_through(django_user_model):
    root = Collection.get_first_root_node()
    staff = root.add_child(name="Staff only")
    CollectionViewRestriction.objects.create(collection=staff, restriction_type="login")
    document = Document.objects.create(
        title="Rota", file=SimpleUploadedFile("rota.txt", b"Rota\n"), collection=staff
    )
    assert Client().get(_media(document.file.name)).status_code == 302
    client = Client()
    client.force_login(django_user_model.objects.create_user("staffer", "s@example.org", "pw"))
    assert client.get(_media(document.file.name)).status_code == 200
