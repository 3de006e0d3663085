"""`masthead import wordpress|feed`: arguments and the command that runs them.

Kept free of Django imports at module level, so `masthead --help` stays fast.
"""

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the `wordpress` and `feed` subcommands to ``parser``."""
    sub = parser.add_subparsers(dest="source", required=True, metavar="SOURCE")
    wordpress = sub.add_parser(
        "wordpress", help="Import a WordPress export (Tools > Export, WXR 1.0-1.2)."
    )
    wordpress.add_argument("export", type=Path, metavar="EXPORT.xml")
    wordpress.add_argument(
        "--media",
        type=Path,
        default=None,
        metavar="DIR",
        help="The site's wp-content/uploads folder; files not found there are downloaded.",
    )
    wordpress.add_argument(
        "--categories",
        choices=["sections", "topics"],
        default="topics",
        help="Make categories sections (first category of a post) or topics (default).",
    )
    wordpress.add_argument(
        "--authors",
        type=Path,
        default=None,
        metavar="USERS.json",
        help="The old site's /wp-json/wp/v2/users answer, saved: authors' bios and avatars "
        "(a WordPress export has neither).",
    )
    _common(wordpress)
    feed = sub.add_parser("feed", help="Import a partner outlet's RSS or Atom feed.")
    feed.add_argument("location", metavar="URL_OR_FILE")
    feed.add_argument(
        "--source-name",
        default="",
        metavar="NAME",
        help="The outlet named in each story's source line (default: the feed's title).",
    )
    feed.add_argument(
        "--drafts", action="store_true", help="Import entries as drafts for an editor to check."
    )
    _common(feed)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dry-run", action="store_true", help="Show what would be imported; save nothing."
    )
    parser.add_argument(
        "--section",
        default="",
        metavar="SLUG",
        help="Section for stories without one (default: the first section).",
    )
    parser.add_argument(
        "--no-download", action="store_true", help="Never fetch files from the network."
    )
    parser.add_argument(
        "--report", default="", metavar="FILE", help="Also write the full report as JSON."
    )
    parser.add_argument("--quiet", action="store_true", help="No progress bar.")
    parser.add_argument(
        "--batch",
        type=_positive,
        default=500,
        metavar="N",
        help="New stories written per database transaction (default 500).",
    )


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number above 0.")
    return number


def check_migrations() -> str:
    """Return a message if the database has migrations still to apply, else ''."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return "The database is not up to date: run `masthead manage migrate` first."
    return ""


def run(args: argparse.Namespace) -> int:
    """Run the import ``args`` describe and print its report; return the exit status."""
    from .errors import ImportFileError

    problem = check_migrations()
    if problem:
        raise ImportFileError(problem)
    common = {
        "dry_run": args.dry_run,
        "section": args.section,
        "download": not args.no_download,
        "progress": not args.quiet,
        "batch_size": args.batch,
    }
    try:
        if args.source == "wordpress":
            from .wordpress import import_wordpress

            if args.media is not None and not args.media.is_dir():
                raise ImportFileError(f"The media folder {args.media} does not exist.")
            report = import_wordpress(
                args.export,
                media_dir=args.media,
                categories=args.categories,
                users=args.authors,
                **common,
            )
        else:
            from .feeds import import_feed

            report = import_feed(
                args.location, source_name=args.source_name, drafts=args.drafts, **common
            )
    except KeyboardInterrupt:
        sys.stderr.write(
            "\nInterrupted. Every story written so far is complete and kept; run the same "
            "command again to finish the import.\n"
        )
        return 130
    sys.stdout.write(report.render() + "\n")
    if args.report:
        report.write_json(args.report)
        sys.stdout.write(f"Full report written to {args.report}\n")
    return 0
