"""`masthead import ...` from the command line, the progress bar and the end report."""

import io
from pathlib import Path
from unittest import mock

from masthead.articles.models import ArticlePage
from masthead.cli import main
from masthead.imports.report import ProgressBar, Report

DATA = Path(__file__).parent / "data"


def test_cli_imports_a_wordpress_export_and_prints_the_report(bare_site, capsys, tmp_path):
    report_file = tmp_path / "report.json"
    status = main(
        [
            "import",
            "wordpress",
            str(DATA / "newsroom-1.1.xml"),
            "--no-download",
            "--report",
            str(report_file),
        ]
    )
    out, err = capsys.readouterr()
    assert status == 0
    assert "Import finished." in out and "stories   1 created" in out
    assert "stories" in err and "1/1" in err  # the progress bar
    assert '"created": 1' in report_file.read_text()
    assert ArticlePage.objects.filter(title="Bridge reopens after repairs").exists()


def test_cli_dry_run_says_so(bare_site, capsys):
    status = main(["import", "feed", str(DATA / "partner.atom"), "--dry-run", "--quiet"])
    out, err = capsys.readouterr()
    assert status == 0 and "Dry run: nothing was saved." in out and err == ""
    assert not ArticlePage.objects.exists()


def test_cli_malformed_file_prints_position_without_traceback(bare_site, capsys):
    status = main(["import", "wordpress", str(DATA / "malformed.xml"), "--quiet"])
    out, err = capsys.readouterr()
    assert status == 2
    assert "line 14, column" in err and "Nothing was imported." in err
    assert "Traceback" not in err + out


def test_cli_missing_file_and_missing_media_folder(bare_site, capsys, tmp_path):
    assert main(["import", "wordpress", str(tmp_path / "nope.xml"), "--quiet"]) == 2
    assert "cannot read the file" in capsys.readouterr().err
    media = str(tmp_path / "no-uploads")
    assert main(["import", "wordpress", str(DATA / "newsroom-1.1.xml"), "--media", media]) == 2
    assert "media folder" in capsys.readouterr().err


def test_progress_bar_shows_counts_and_time_left():
    report = Report()
    stream = io.StringIO()
    bar = ProgressBar(report, stream)
    bar.start("stories", "story", 20)
    for done in range(1, 21):
        report.count("story", "created" if done % 4 else "unchanged")
        bar.update(done)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 11  # not a terminal: one line per tenth, plus the first
    assert "2/20  created 2 updated 0 unchanged 0 skipped 0" in lines[1]
    assert "left" in lines[1] and "took" in lines[-1]
    assert "20/20  created 15 updated 0 unchanged 5" in lines[-1]


def test_report_groups_reasons():
    report = Report()
    for n in range(12):
        report.skip("story", f"post {n}", "It is in the WordPress trash.")
    report.count("story", "created")
    text = report.render(examples=3)
    assert "stories   1 created, 0 updated, 0 unchanged, 12 skipped" in text
    assert "It is in the WordPress trash. [12: post 0; post 1; post 2; and 9 more]" in text


def test_cli_interrupted_import_says_how_to_resume(bare_site, capsys):
    with mock.patch("masthead.imports.wordpress.import_wordpress", side_effect=KeyboardInterrupt):
        status = main(["import", "wordpress", str(DATA / "newsroom-1.1.xml"), "--quiet"])
    err = capsys.readouterr().err
    assert status == 130
    assert "run the same command again" in err and "Traceback" not in err
