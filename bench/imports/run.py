"""Benchmark `masthead import wordpress` on generated exports, in a throwaway database.

    .venv/bin/python bench/imports/run.py                  # 10,000 posts + comparisons
    .venv/bin/python bench/imports/run.py --posts 2000     # quicker

One process, one fresh SQLite database, phases run one after another so their ratios
are comparable on a shared machine:

1. baseline: N_SMALL posts written the plain Wagtail way (add_child, then
   save_revision().publish(), search and reference indexes updated on every save);
2. importer: the same N_SMALL posts (another site) through the importer;
3. re-run: the importer again on phase 2's file (everything unchanged);
4. full: --posts posts through the importer (target: under two minutes).

Wall-clock and CPU seconds are printed for each phase, with posts per second and
the ratio to the baseline.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def setup(data_dir: Path) -> None:
    os.environ["MASTHEAD_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "masthead.settings.demo"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from wagtail.models import Page, Site

    from masthead.sections.models import HomePage, SectionPage

    root = Page.get_first_root_node()
    home = HomePage(title="Bench Ledger", slug="front")
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    old = site.root_page
    site.root_page = home
    site.save()
    old.delete()
    for slug in ("news", "baseline"):
        section = SectionPage(title=slug.title(), slug=slug)
        home.add_child(instance=section)
        section.save_revision().publish()


class BaselineWriter:
    """Mixin: create stories the plain way, for comparison."""

    def _create(self, spec):
        from masthead.articles.models import ArticlePage
        from masthead.imports.service import State

        slug = self.unique_slug(spec.section, spec.slug, None)
        page = ArticlePage(slug=slug, live=False)
        self._fill(page, spec, slug)
        spec.section.add_child(instance=page)
        self.slugs[spec.section.pk].add(slug)
        self._restrict(page, spec)
        revision = page.save_revision()
        if spec.state != State.DRAFT:
            revision.publish()
        return page


def timed(label: str, path: Path, posts: int, section: str, baseline: bool = False) -> dict:
    from masthead.imports import runner, service
    from masthead.imports.wordpress import import_wordpress

    original = runner.StoryWriter
    if baseline:
        plain = type("PlainWriter", (BaselineWriter, service.StoryWriter), {})
        plain.__init__ = service.StoryWriter.__init__

        import contextlib

        runner.StoryWriter = plain
        hold = service.indexing_held_back
        service.indexing_held_back = contextlib.nullcontext
    started, cpu = time.perf_counter(), time.process_time()
    try:
        report = import_wordpress(path, section=section, download=False, progress=True)
    finally:
        runner.StoryWriter = original
        if baseline:
            service.indexing_held_back = hold
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    counts = {o: report.total("story", o) for o in ("created", "updated", "unchanged")}
    return {"label": label, "posts": posts, "wall": wall, "cpu": cpu, **counts}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=500)
    args = parser.parse_args()
    from generate import generate

    work = Path(tempfile.mkdtemp(prefix="masthead-import-bench-"))
    setup(work)
    files = {}
    for name, count, host in (
        ("baseline", args.small, "baseline.example.org"),
        ("small", args.small, "small.example.org"),
        ("full", args.posts, "full.example.org"),
    ):
        files[name] = work / f"{name}.xml"
        with open(files[name], "w", encoding="utf-8") as handle:
            generate(count, handle, host=host)
    rows = [
        timed(
            f"baseline: plain Wagtail, {args.small}",
            files["baseline"],
            args.small,
            "baseline",
            True,
        ),
        timed(f"importer, {args.small}", files["small"], args.small, "news"),
        timed(f"re-run unchanged, {args.small}", files["small"], args.small, "news"),
        timed(f"importer, {args.posts}", files["full"], args.posts, "news"),
    ]
    base = rows[0]["wall"] / rows[0]["posts"]
    print(f"\nImport benchmark ({work}); wall and CPU seconds on this machine:")
    print(f"{'phase':<34}{'wall s':>9}{'CPU s':>9}{'posts/s':>9}{'ms/post':>9}{'vs baseline':>13}")
    for row in rows:
        per = row["wall"] / row["posts"]
        print(
            f"{row['label']:<34}{row['wall']:>9.1f}{row['cpu']:>9.1f}{row['posts'] / row['wall']:>9.1f}"
            f"{per * 1000:>9.1f}{base / per:>12.1f}x"
        )
        print(
            f"{'':<34}created {row['created']}, updated {row['updated']}, unchanged {row['unchanged']}"
        )
    print(f"\nload average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
