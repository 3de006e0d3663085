"""Every `masthead manage COMMAND` the documentation names is a command that exists, and
no page tells a reader to run `python -m django` (which needs settings the `masthead`
command sets up itself)."""

import re
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_documented_manage_commands_exist():
    known = set(get_commands())
    named = {
        (page.name, command)
        for page in PAGES
        for command in re.findall(r"masthead manage ([a-z_]+)", page.read_text())
    }
    assert named, "the documentation names no management command"
    missing = sorted((page, command) for page, command in named if command not in known)
    assert not missing, missing


def test_documentation_runs_commands_through_masthead():
    # performance.md is the developers' measurement log: its commands set
    # DJANGO_SETTINGS_MODULE themselves.
    offenders = [
        page.name
        for page in PAGES
        if page.name != "performance.md" and re.search(r"python -m django \w", page.read_text())
    ]
    assert not offenders, offenders
