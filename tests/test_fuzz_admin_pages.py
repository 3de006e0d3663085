"""Hostile requests to the admin's URL patterns for the page tree, page editing and bulk actions.

As a reader who is not signed in, a contributor and an editor (tests/fuzzing.py says
what an answer may be). A signed-in role meets the views themselves; the reader meets
the sign-in redirect and the few admin views open to everyone (sign-in, password reset
and its confirmation link). The other
half of the admin is in the other test_fuzz_admin_* file, so the two run side by side.
"""

import pytest
from hypothesis import given

from tests import fuzzing

pytestmark = pytest.mark.slow

ROUTES = [
    route
    for route in fuzzing.routes()
    if route.is_admin and route.regex.startswith(("admin/pages/", "admin/bulk/"))
]
ROLES = ("anonymous", "contributor", "editor")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=[route.name for route in ROUTES])
def test_admin_route_survives_hostile_requests(world, db, route, role):
    @fuzzing.fuzz_settings(1)
    @given(fuzzing.requests_for(route, world))
    def run(request):
        fuzzing.check(role, world.clients[role], request)

    run()
