"""Refuse documents whose bytes are not what their extension says.

Wagtail checks an image's real format against its extension, but stores any document
with an allowed extension. A page of HTML renamed ``report.pdf`` would then be kept and
served; browsers honour ``nosniff`` and the declared type, but a file that is not what
it claims has no business in the archive either.
"""

import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm

SNIFF_BYTES = 8192
ZIP_MEMBERS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "odt": "mimetype",
}
MARKUP = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe")


def sniff_problem(name: str, upload) -> str | None:
    """Return why the bytes of ``upload`` do not match the extension of ``name``, or None."""
    extension = PurePath(name).suffix.lower().lstrip(".")
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if extension == "pdf":
        if not head.lstrip(b"\r\n\t ").startswith(b"%PDF-"):
            return _("This file is not a PDF, although its name ends in .pdf.")
    elif extension in ZIP_MEMBERS:
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            names = set()
        finally:
            upload.seek(0)
        if ZIP_MEMBERS[extension] not in names:
            return _("This file is not a .%(ext)s document, although its name says so.") % {
                "ext": extension
            }
    elif extension in ("txt", "csv"):
        if b"\x00" in head:
            return _("This file is not plain text (it contains binary data).")
        if head.lstrip(b"\xef\xbb\xbf\r\n\t ").lower().startswith(MARKUP):
            return _("This file is a web page or markup, not .%(ext)s text.") % {"ext": extension}
    return None


class SafeDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "read") and "file" in self.changed_data:
            problem = sniff_problem(upload.name, upload)
            if problem:
                raise ValidationError(problem, code="content_mismatch")
        return upload
