"""Run an importer for real or as a dry run, with a progress bar and a report."""

import sys
from collections.abc import Callable
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction

from masthead.compat.publishing import override

from .fetch import Limits
from .report import ProgressBar, Report
from .service import StoryWriter

# Posts marked "publish" in the file are live elsewhere already; the import keeps them
# live past the publishing checks, and says so once per run (masthead.compat.publishing).
GATE_OVERRIDE = "posts marked 'publish' in the imported file are already published"


def run_import(
    source: str,
    make: Callable[[StoryWriter], Report],
    *,
    dry_run: bool = False,
    media_dir: Path | None = None,
    section: str = "",
    download: bool = True,
    limits: Limits = Limits(),  # noqa: B008
    progress: type[ProgressBar] | None = ProgressBar,
    stream=None,
    batch_size: int | None = None,
) -> Report:
    """Return the report of ``make(writer)``; a dry run rolls everything back at the end."""
    report = Report(dry_run=dry_run)
    bar = progress(report, stream or sys.stderr) if progress else None

    def build() -> Report:
        writer = StoryWriter(
            source,
            report=report,
            progress=bar,
            media_dir=media_dir,
            download=download,
            limits=limits,
            section_slug=section,
        )
        if batch_size:
            writer.batch_size = batch_size
        try:
            return make(writer)
        finally:
            build.files = writer.saved_files

    build.files = []
    if not dry_run:
        with override("import", f"{source}: {GATE_OVERRIDE}"):
            return build()
    try:
        with transaction.atomic():
            result = build()
            transaction.set_rollback(True)
    finally:
        for name in build.files:
            default_storage.delete(name)
    return result
