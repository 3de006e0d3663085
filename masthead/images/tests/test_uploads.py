"""Hostile uploads are refused with a clear message and nothing stored; media are served safely."""

import io
import struct
import uuid
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.models import Collection

from masthead.accounts.roles import EDITORS, give_role
from masthead.images.models import MastheadImage

pytestmark = pytest.mark.django_db

SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.domain)</script><rect width='10' height='10'/></svg>"
)
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def _png(width=40, height=30) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (20, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def _noisy_png(size=300) -> bytes:
    import random

    rng = random.Random(4)
    image = PILImage.frombytes(
        "RGB", (size, size), bytes(rng.randrange(256) for _ in range(size * size * 3))
    )
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _png_declaring(width: int, height: int) -> bytes:
    """Return a tiny PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_user("editor", "e@example.org", "pw")
    give_role(user, EDITORS)
    client.force_login(user)
    return user


def _upload_image(client, name: str, content: bytes):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Upload",
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
            "caption": "",
            "credit": "",
            "description": "",
            "tags": "",
        },
    )


def _stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()}


HOSTILE_IMAGES = {
    "svg with script": ("chart.svg", SVG_WITH_SCRIPT, "Not a supported image format"),
    "svg renamed .png": ("chart.png", SVG_WITH_SCRIPT, "The extension does not match"),
    "html renamed .jpg": ("photo.jpg", HTML_PAGE, "The extension does not match"),
    "png renamed .jpg": ("photo.jpg", _png(), "The extension does not match the file format"),
    "decompression bomb": ("bomb.png", _png_declaring(50_000, 50_000), "too many pixels"),
    "html page": ("page.html", HTML_PAGE, "Not a supported image format"),
}


@pytest.mark.parametrize("case", list(HOSTILE_IMAGES))
def test_hostile_image_uploads_are_refused_with_a_message(client, editor, case):
    name, content, message = HOSTILE_IMAGES[case]
    files_before = _stored_files()
    response = _upload_image(client, name, content)
    assert response.status_code == 200, "the form is shown again, not a 500"
    assert message in response.content.decode()
    assert not MastheadImage.objects.exists()
    assert _stored_files() == files_before


def test_oversized_image_is_refused(client, editor, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 50 * 1024
    content = _noisy_png()
    assert len(content) > 50 * 1024
    response = _upload_image(client, "big.png", content)
    assert response.status_code == 200
    assert "This file is too big" in response.content.decode()
    assert not MastheadImage.objects.exists()


def test_hostile_image_is_refused_by_the_multiple_upload_too(client, editor):
    response = client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile("photo.jpg", HTML_PAGE)},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    data = response.json()
    assert data["success"] is False
    assert "Not a valid .jpeg image" in data["error_message"]
    assert not MastheadImage.objects.exists()


def test_a_real_image_is_accepted(client, editor):
    response = _upload_image(client, "photo.png", _png())
    assert response.status_code == 302
    assert MastheadImage.objects.count() == 1


# --- Documents -------------------------------------------------------------------------


def _upload_document(client, name: str, content: bytes):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Document",
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
            "tags": "",
        },
    )


def _zip_with(member: str) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, "<x/>")
    return buffer.getvalue()


HOSTILE_DOCUMENTS = {
    "html renamed .pdf": ("report.pdf", HTML_PAGE, "not a PDF"),
    "html renamed .txt": ("notes.txt", HTML_PAGE, "web page or markup"),
    "svg renamed .csv": ("data.csv", SVG_WITH_SCRIPT, "web page or markup"),
    "binary renamed .txt": ("notes.txt", b"MZ\x90\x00\x03\x00\x00\x00", "not plain text"),
    "zip renamed .docx": ("letter.docx", _zip_with("evil.html"), "not a .docx document"),
    "html renamed .docx": ("letter.docx", HTML_PAGE, "not a .docx document"),
    "svg document": ("chart.svg", SVG_WITH_SCRIPT, "File extension"),
    "html document": ("page.html", HTML_PAGE, "File extension"),
}


@pytest.mark.parametrize("case", list(HOSTILE_DOCUMENTS))
def test_hostile_document_uploads_are_refused_with_a_message(client, editor, case):
    name, content, message = HOSTILE_DOCUMENTS[case]
    response = _upload_document(client, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Document.objects.exists()


def test_oversized_document_is_refused(client, editor, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    response = _upload_document(client, "notes.txt", b"line\n" * 1000)
    assert response.status_code == 200
    assert "too big" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    "name,content",
    [
        ("report.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
        ("notes.txt", "Minutes of the harbour board, café included.\n".encode()),
        ("letter.docx", _zip_with("word/document.xml")),
        ("sheet.xlsx", _zip_with("xl/workbook.xml")),
    ],
)
def test_real_documents_are_accepted(client, editor, name, content):
    response = _upload_document(client, name, content)
    assert response.status_code == 302, response.content.decode()[:500]
    assert Document.objects.count() == 1


# --- Serving ---------------------------------------------------------------------------


def test_media_are_served_with_their_real_type_and_nosniff(client, editor):
    _upload_image(client, "photo.png", _png())
    image = MastheadImage.objects.get()
    client.logout()
    response = client.get(settings.MEDIA_URL + image.file.name)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert response["Cache-Control"] == "public, max-age=604800"


def test_renditions_are_kept_by_browsers_for_a_year(client, editor):
    _upload_image(client, "photo.png", _png())
    rendition = MastheadImage.objects.get().get_rendition("width-100")
    assert rendition.file.name.startswith("images/")
    client.logout()
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_reused_file_name_never_brings_back_an_old_rendition_address(client, editor):
    name = f"reused-{uuid.uuid4().hex[:8]}.png"  # free in the shared media folder
    _upload_image(client, name, _png())
    first = MastheadImage.objects.get()
    old_name, old_url = first.file.name, first.get_rendition("width-100").url
    # What Wagtail does once a deletion is committed: the files go too.
    for rendition in first.renditions.all():
        rendition.file.delete(save=False)
    first.file.delete(save=False)
    first.delete()
    _upload_image(client, name, _png())
    second = MastheadImage.objects.get()
    assert second.file.name == old_name  # the storage gave the freed name again
    assert second.get_rendition("width-100").url != old_url


def test_media_view_refuses_paths_outside_the_media_folder(client):
    for path in ("../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "/etc/passwd"):
        response = client.get(settings.MEDIA_URL + path)
        assert response.status_code == 404, path


def test_documents_are_served_with_nosniff(client, editor):
    _upload_document(client, "notes.txt", b"Plain notes\n")
    document = Document.objects.get()
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"].startswith("text/plain")
