"""Run the rules on a story with the newsroom's levels: off, warning or blocking."""

import logging
from collections.abc import Mapping

from django.utils.translation import gettext as _

from .findings import BLOCKING, CHECKS, ERROR, OFF, WARNING, Finding
from .lexicon import Lexicon
from .rules import RULES
from .story import Story

logger = logging.getLogger(__name__)

DEFAULT_LEVELS = dict.fromkeys(CHECKS, WARNING)
# Beyond this many findings per rule the editor has a bigger problem than a list can show.
MAX_PER_RULE = 200


def run_checks(
    story: Story,
    lexicon: Lexicon | None = None,
    levels: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Return every finding for ``story``, each with the severity its check is set to.

    A rule that raises is reported as one finding of severity ``error`` for that check;
    it never blocks, so a bug in a rule cannot stop a story from being saved.
    """
    lexicon = lexicon or Lexicon()
    levels = {**DEFAULT_LEVELS, **(levels or {})}
    findings: list[Finding] = []
    for check, rule in RULES.items():
        level = levels.get(check, WARNING)
        if level == OFF:
            continue
        try:
            found = rule(story, lexicon)
        except Exception as exc:
            logger.exception("Editorial check %s failed", check)
            findings.append(
                Finding(
                    rule=f"{check}.internal_error",
                    message=_("The %(check)s check failed and was skipped: %(error)s")
                    % {"check": check, "error": type(exc).__name__},
                    field="",
                    severity=ERROR,
                )
            )
            continue
        severity = BLOCKING if level == BLOCKING else WARNING
        findings.extend(f.with_severity(severity) for f in found[:MAX_PER_RULE])
    return findings


def blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocking]
