"""The editorial rules. Each is a plain function ``rule(story, lexicon) -> list[Finding]``."""

from .completeness import check_completeness
from .mechanics import check_mechanics
from .names import check_names
from .spelling import check_spelling
from .titles import check_titles

RULES = {
    "spelling": check_spelling,
    "names": check_names,
    "titles": check_titles,
    "mechanics": check_mechanics,
    "completeness": check_completeness,
}

__all__ = ["RULES"]
