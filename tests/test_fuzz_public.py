"""Hostile requests to every public URL pattern, as a reader, a contributor and an editor.

tests/fuzzing.py draws the requests and states what an answer may be: no 500, no
traceback, a readable page for each refusal, no redirect off the site, no word of a
draft, scheduled or private story for a reader. Each pattern x 3 roles x 6 examples
(73 patterns on 2026-12-06 evening: 1,314 requests).
"""

import pytest
from hypothesis import given

from tests import fuzzing

pytestmark = pytest.mark.slow

ROUTES = [route for route in fuzzing.routes() if not route.is_admin]
ROLES = ("anonymous", "contributor", "editor")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=[route.name for route in ROUTES])
def test_public_route_survives_hostile_requests(world, db, route, role):
    @fuzzing.fuzz_settings(6)
    @given(fuzzing.requests_for(route, world))
    def run(request):
        fuzzing.check(role, world.clients[role], request)

    run()
