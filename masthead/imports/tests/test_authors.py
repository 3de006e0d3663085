"""Authors' bios and pictures: Co-Authors Plus guest authors in the export, and the old
site's public users list (``/wp-json/wp/v2/users``) for the export's own authors."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from masthead.imports import service
from masthead.imports.errors import ImportFileError
from masthead.imports.tests.test_fidelity import jpeg, story, upload_url
from masthead.imports.tests.test_fidelity import uploads as uploads  # the fixture
from masthead.imports.tests.wxr import Item, write_export
from masthead.imports.wordpress import avatar_url, import_wordpress
from masthead.people.models import Author

GRAVATAR = "https://secure.gravatar.com/avatar/5e0a8d?s={}&d=mm&r=g"
USERS = [
    {
        "id": 1,
        "name": "Ana Rivas",
        "slug": "ana",
        "description": "Ana covers the harbour towns &amp; their councils.",
        "avatar_urls": {str(n): GRAVATAR.format(n) for n in (24, 48, 96)},
    },
    {"id": 9, "name": "Nobody Here", "slug": "nobody", "description": "Not in the export."},
]


def items():
    return [
        Item(
            301,
            "Lior at the quay",
            post_type="attachment",
            status="inherit",
            attachment_url=upload_url("pic1.jpg"),
        ),
        Item(
            500,
            "Lior Ben-David",
            post_type="guest-author",
            slug="cap-lior",
            meta={
                "cap-user_login": "lior",
                "cap-display_name": "Lior Ben-David",
                "cap-description": "Lior edits the data desk.",
                "_thumbnail_id": "301",
            },
        ),
        Item(
            1,
            "Two bylines",
            "<p>Story.</p>",
            terms=[("author", "cap-lior", "lior"), ("author", "cap-ana", "ana")],
        ),
        Item(2, "One byline", "<p>Other story.</p>"),
    ]


def run(path, users=None, media=None, **kwargs):
    kwargs.setdefault("download", False)
    return import_wordpress(path, media_dir=media, users=users, progress=False, **kwargs)


def test_guest_authors_and_the_users_list_give_bios_and_pictures(
    bare_site, tmp_path, client, uploads, monkeypatch
):
    asked = []

    def fake_fetch(url, limits, accept="*/*"):
        asked.append(url)
        return jpeg((200, 10, 10)), "image/jpeg"

    monkeypatch.setattr(service, "fetch", fake_fetch)
    users = tmp_path / "users.json"
    users.write_text(json.dumps(USERS))
    report = run(write_export(tmp_path / "site.xml", items()), users, uploads, download=True)

    lior = Author.objects.get(name="Lior Ben-David")
    ana = Author.objects.get(name="Ana Rivas")
    assert lior.bio == "Lior edits the data desk."
    assert lior.photo is not None and lior.photo.title == "Lior at the quay"
    assert ana.bio == "Ana covers the harbour towns & their councils."
    assert ana.photo is not None
    # The largest avatar, asked for large and without Gravatar's stand-in picture.
    assert len(asked) == 1
    query = parse_qs(urlsplit(asked[0]).query)
    assert query["s"] == ["512"] and query["d"] == ["404"]
    assert not Author.objects.filter(name="Nobody Here").exists()
    # Co-Authors Plus bylines, in their order; the guest author is no skipped item.
    assert [a.name for a in story(1).authors] == ["Lior Ben-David", "Ana Rivas"]
    assert [a.name for a in story(2).authors] == ["Ana Rivas"]
    assert not any("guest-author" in reason for _, _, reason in report.skipped)
    for author, bio in ((lior, "Lior edits the data desk."), (ana, "their councils.")):
        page = client.get(author.get_absolute_url()).content.decode()
        assert bio in page and 'class="author-photo"' in page

    # A second run changes nothing, and an editor's own bio is kept.
    Author.objects.filter(pk=ana.pk).update(bio="Edited in Masthead.")
    again = run(write_export(tmp_path / "site.xml", items()), users, uploads, download=True)
    assert again.total("author", "created") == 0 and again.total("author", "updated") == 0
    assert Author.objects.get(pk=ana.pk).bio == "Edited in Masthead."
    assert len(asked) == 1


def test_a_picture_that_cannot_be_had_is_reported_and_the_bio_kept(bare_site, tmp_path):
    users = tmp_path / "users.json"
    users.write_text(json.dumps(USERS))
    # No media folder and no downloads: neither picture can be read.
    report = run(write_export(tmp_path / "site.xml", items()), users)
    assert report.total("story", "created") == 2
    assert Author.objects.get(name="Ana Rivas").bio.startswith("Ana covers")
    assert Author.objects.get(name="Lior Ben-David").photo is None
    notes = dict(report.notes)
    assert "attachment 301" in notes["author 'lior'"]
    assert "could not be imported" in notes["author 'ana'"]


@pytest.mark.parametrize("content", ["{not json", '{"id": 1}'])
def test_a_users_file_that_is_not_a_users_list_is_refused(bare_site, tmp_path, content):
    users = tmp_path / "users.json"
    users.write_text(content)
    with pytest.raises(ImportFileError, match="users list"):
        run(write_export(tmp_path / "site.xml", items()), users)
    assert not Author.objects.exists()


def test_avatar_address_is_the_largest_and_only_gravatar_is_rewritten():
    assert avatar_url({"24": "https://a.example/24.png", "96": "https://a.example/96.png"}) == (
        "https://a.example/96.png"
    )
    assert avatar_url({"96": "javascript:alert(1)"}) == ""
    assert avatar_url(None) == ""


def test_cli_takes_the_users_list_and_refuses_a_missing_one(bare_site, tmp_path, capsys):
    from masthead.cli import main

    path = write_export(tmp_path / "site.xml", items())
    missing = tmp_path / "nope.json"
    assert main(["import", "wordpress", str(path), "--authors", str(missing), "--quiet"]) == 2
    out, err = capsys.readouterr()
    assert "cannot read the file" in err and "Traceback" not in out + err
    assert not Author.objects.exists()
    users = tmp_path / "users.json"
    users.write_text(json.dumps(USERS))
    command = ["import", "wordpress", str(path), "--authors", str(users), "--no-download"]
    assert main([*command, "--quiet"]) == 0
    assert Author.objects.get(name="Ana Rivas").bio.startswith("Ana covers")
