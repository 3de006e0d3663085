"""`masthead check FILE_OR_URL`: files, published stories, JSON and exit codes."""

import json

import pytest

from masthead.cli import main
from masthead.editorial.findings import BLOCKING
from masthead.editorial.models import EditorialSettings
from masthead.editorial.newsroom import invalidate

STORY = (
    "Foreign Minister Irina Valek flies to Tesk\n"
    "Standfirst: Talks resume.\n\n"
    "Foreign Minister Irina Valek arrived on 3 March for the the talks, the goverment said.\n\n"
    "Irina Valek, Minister of Foreign Affairs, said Vallek was wrong.\n"
)


@pytest.fixture(autouse=True)
def _fresh_dictionary():
    invalidate()


@pytest.mark.django_db
def test_check_a_text_file_prints_findings(tmp_path, capsys):
    path = tmp_path / "story.txt"
    path.write_text(STORY)
    # Name consistency blocks by default, so the exit status says so.
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "spelling.unknown_word" in out and '"goverment" -> government' in out
    assert "BLOCKING names.inconsistent" in out
    assert "titles.word_order" in out
    assert "mechanics.repeated_word" in out


@pytest.mark.django_db
def test_check_json_and_blocking_exit_code(tmp_path, capsys, newsroom):
    settings = EditorialSettings.for_site(newsroom.home.get_site())
    settings.spelling = BLOCKING
    settings.save()
    path = tmp_path / "story.html"
    path.write_text("<h1>Valek in Tesk</h1><p>The <b>goverment</b> met.</p>")
    assert main(["check", str(path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    [finding] = [f for f in report["findings"] if f["check"] == "spelling"]
    assert (finding["text"], finding["severity"], finding["suggestion"]) == (
        "goverment",
        "blocking",
        "government",
    )
    assert report["blocking"] == 1


@pytest.mark.django_db
def test_check_a_published_story_by_url_or_path(newsroom, capsys):
    from masthead.articles.factories import body_from_paragraphs

    story = newsroom.publish(
        title="Talks resume", slug="talks", body=body_from_paragraphs(["The goverment met."])
    )
    assert main(["check", f"http://testserver{story.url}", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert any(f["text"] == "goverment" for f in report["findings"])
    assert main(["check", story.url]) == 0
    assert "goverment" in capsys.readouterr().out


@pytest.mark.django_db
def test_check_refuses_drafts_and_missing_files(newsroom, capsys):
    story = newsroom.publish(title="Secret plan", slug="secret")
    url = story.url
    story.unpublish()
    assert main(["check", url]) == 2
    assert "No published story" in capsys.readouterr().err
    assert main(["check", "no-such-file.txt"]) == 2
    assert "No such file: no-such-file.txt" in capsys.readouterr().err
    assert main(["check", "no-such-thing"]) == 2
    assert "neither a file nor a story URL" in capsys.readouterr().err
