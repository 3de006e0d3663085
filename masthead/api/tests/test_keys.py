"""API keys (hashed, shown once, revocable, section-limited), the anonymous switch and
rate limits with 429 and Retry-After."""

import re

import pytest
from django.contrib.auth import get_user_model

from masthead.api.models import ApiKey, hash_secret

from .conftest import set_switches

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, newsroom):
    user = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw-boss-123")
    client.force_login(user)
    return client


def _issue(name="Coastal Herald", sections=(), rate=None) -> tuple[ApiKey, str]:
    key = ApiKey(name=name, rate_per_minute=rate)
    raw = key.issue()
    key.save()
    key.sections.set(sections)
    return key, raw


def test_admin_issues_a_key_shown_once_and_kept_only_as_a_digest(admin_client, newsroom):
    response = admin_client.post(
        "/admin/api_keys/new/",
        {"name": "Coastal Herald", "sections": [newsroom.news.pk], "rate_per_minute": ""},
    )
    assert response.status_code == 200, response.content[:500]
    assert "no-store" in response["Cache-Control"]
    raw = re.search(rb"<code data-api-key>([^<]+)</code>", response.content).group(1).decode()
    key = ApiKey.objects.get(name="Coastal Herald")
    secret = raw.split("_", 2)[2]
    assert key.key_hash == hash_secret(secret)
    assert secret not in str(ApiKey.objects.filter(pk=key.pk).values().first())
    assert list(key.sections.all()) == [newsroom.news.specific]
    # The list and the edit page never show it again.
    assert raw.encode() not in admin_client.get("/admin/api_keys/").content
    assert raw.encode() not in admin_client.get(f"/admin/api_keys/edit/{key.pk}/").content
    # The key works, and its use is recorded.
    assert (
        admin_client.get("/api/v1/stories/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    )
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_admin_revokes_a_key(admin_client, newsroom):
    key, raw = _issue()
    response = admin_client.post(
        f"/admin/api_keys/edit/{key.pk}/",
        {"name": key.name, "sections": [], "rate_per_minute": "", "revoke": "on"},
    )
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    refused = admin_client.get("/api/v1/stories/", HTTP_X_API_KEY=raw)
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]


def test_both_key_headers_work_and_a_bad_key_is_refused(client, newsroom):
    key, raw = _issue()
    assert client.get("/api/v1/stories/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    assert client.get("/api/v1/stories/", HTTP_X_API_KEY=raw).status_code == 200
    wrong = raw[:-3] + "xyz"
    for headers in (
        {"HTTP_AUTHORIZATION": f"Bearer {wrong}"},
        {"HTTP_X_API_KEY": wrong},
        {"HTTP_X_API_KEY": "nonsense"},
        {"HTTP_AUTHORIZATION": "Basic Zm9vOmJhcg=="},
    ):
        response = client.get("/api/v1/stories/", **headers)
        assert response.status_code == 401, headers
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_anonymous_access_can_be_switched_off(client, newsroom):
    assert client.get("/api/v1/stories/").status_code == 200
    set_switches(allow_anonymous=False)
    refused = client.get("/api/v1/stories/")
    assert refused.status_code == 401
    assert "needs a key" in refused.json()["detail"]
    _, raw = _issue()
    assert client.get("/api/v1/stories/", HTTP_X_API_KEY=raw).status_code == 200
    # The OpenAPI document stays readable, so partners can learn how to ask.
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_a_key_limited_to_a_section_sees_nothing_else(client, newsroom):
    _, raw = _issue(sections=[newsroom.news])
    headers = {"HTTP_X_API_KEY": raw}
    stories = client.get("/api/v1/stories/?limit=100", **headers).json()["results"]
    assert stories and {s["section"]["slug"] for s in stories} == {"news"}
    other = next(s for s in newsroom.stories if s.get_parent().pk == newsroom.analysis.pk)
    assert client.get(f"/api/v1/stories/{other.pk}/", **headers).status_code == 404
    assert client.get(f"/api/v1/stories/{other.pk}/ninjs/", **headers).status_code == 404
    assert client.get("/api/v1/stories/?section=analysis", **headers).status_code == 404
    sections = client.get("/api/v1/sections/", **headers).json()["results"]
    assert [s["slug"] for s in sections] == ["news"]
    pages = client.get("/api/v1/pages/", **headers).json()["results"]
    assert [p["url"] for p in pages] == ["http://testserver/news/"]
    # The same address without the key (anonymous) sees both sections: the cached
    # answer of one scope is never served to another.
    assert client.get(f"/api/v1/stories/{other.pk}/").status_code == 200
    assert len(client.get("/api/v1/sections/").json()["results"]) == 2


def test_rate_limit_answers_429_with_retry_after(client, newsroom):
    set_switches(anonymous_rate_per_minute=3, key_rate_per_minute=5)
    for _ in range(3):
        ok = client.get("/api/v1/sections/", REMOTE_ADDR="203.0.113.7")
        assert ok.status_code == 200
    assert ok["RateLimit-Remaining"] == "0"
    limited = client.get("/api/v1/sections/", REMOTE_ADDR="203.0.113.7")
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert "detail" in limited.json()
    # Another address has its own budget; a key has the keys' (higher) one.
    assert client.get("/api/v1/sections/", REMOTE_ADDR="203.0.113.8").status_code == 200
    _, raw = _issue()
    codes = [
        client.get("/api/v1/sections/", REMOTE_ADDR="203.0.113.7", HTTP_X_API_KEY=raw).status_code
        for _ in range(6)
    ]
    assert codes == [200] * 5 + [429]
    # A key's own rate wins over the default.
    _, fast = _issue(name="Wire", rate=8)
    codes = [client.get("/api/v1/sections/", HTTP_X_API_KEY=fast).status_code for _ in range(9)]
    assert codes == [200] * 8 + [429]
