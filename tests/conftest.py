"""Fixtures shared by the files under tests/."""

from tests.fuzzing import world  # noqa: F401 (the fuzzing files share one site)
