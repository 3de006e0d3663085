"""Sign-in lockout, safe redirects after sign-in and sign-out, CSRF on every form, headers."""

import logging
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from masthead.accounts.roles import ADMINISTRATORS, give_role
from masthead.core import state
from masthead.settings.env import proxy_ssl_header

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("ines", "ines@example.org", "right-pass-123")
    give_role(user, ADMINISTRATORS)
    return user


def _login(client, password, *, address="10.0.0.1", username="ines", **extra):
    return client.post(
        LOGIN, {"username": username, "password": password, **extra}, REMOTE_ADDR=address
    )


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Lockout ---------------------------------------------------------------------------


def test_five_failures_lock_the_account_from_that_address(client, editor, caplog):
    caplog.set_level(logging.WARNING, logger="masthead.accounts.throttle")
    for _ in range(5):
        response = _login(client, "wrong")
        assert response.status_code == 200
        assert "didn&#x27;t match" in response.content.decode()
    assert any(
        "Throttle login locked" in r.getMessage() and "'ines'" in r.getMessage()
        for r in caplog.records
    )
    # Even the right password is refused now, with a message that says why.
    response = _login(client, "right-pass-123")
    assert response.status_code == 200
    assert not _signed_in(client)
    html = response.content.decode()
    assert "Too many failed sign-ins" in html and "15 minutes" in html
    # Another address is not locked out: the newsroom can still sign in.
    other = Client()
    response = _login(other, "right-pass-123", address="10.0.0.2")
    assert response.status_code == 302 and _signed_in(other)
    # When the lock expires (the entry in the shared store goes), the right password works.
    state.store().clear()
    response = _login(client, "right-pass-123")
    assert response.status_code == 302 and _signed_in(client)


def test_username_case_does_not_dodge_the_lock(client, editor):
    for name in ("ines", "INES", "Ines", "iNes", "inES"):
        _login(client, "wrong", username=name)
    response = _login(client, "right-pass-123")
    assert not _signed_in(client)
    assert "Too many failed sign-ins" in response.content.decode()


def test_a_success_resets_the_count(client, editor):
    for _ in range(4):
        _login(client, "wrong")
    assert _login(client, "right-pass-123").status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, "wrong")
    assert _login(client, "right-pass-123").status_code == 302


def test_a_locked_account_is_refused_by_any_login_form(client, editor):
    for _ in range(5):
        _login(client, "wrong")
    # Wagtail's front-end login (for private pages) uses Django's own form.
    response = client.post(
        reverse("wagtailcore_login"),
        {"username": "ines", "password": "right-pass-123"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 200 and not _signed_in(client)


# --- Redirects after sign-in and sign-out ----------------------------------------------

HOSTILE_NEXT = [
    "//evil.example",
    "//evil.example/admin/",
    "https://evil.example",
    "http://evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    " //evil.example",
    "http:///evil.example",
]


def _is_local(location: str) -> bool:
    return (
        location.startswith("/")
        and not location.startswith(("//", "/\\"))
        and "evil.example" not in location
    )


def test_login_never_redirects_off_site(client, editor):
    for target in HOSTILE_NEXT:
        response = _login(client, "right-pass-123", next=target)
        assert response.status_code == 302, target
        assert _is_local(response["Location"]), (target, response["Location"])
        client.logout()
        # The next= in the address bar is not echoed into a link either.
        page = client.get(LOGIN, {"next": target}).content.decode()
        assert 'href="javascript:' not in page and 'href="//evil' not in page, target


def test_logout_never_redirects_off_site(client, editor):
    for target in HOSTILE_NEXT:
        client.force_login(editor)
        response = client.post(reverse("wagtailadmin_logout"), {"next": target})
        assert response.status_code == 302, target
        assert _is_local(response["Location"]), (target, response["Location"])
        assert not _signed_in(client), target


def test_a_local_next_is_followed(client, editor):
    response = _login(client, "right-pass-123", next="/admin/pages/")
    assert response["Location"] == "/admin/pages/"


# --- CSRF ------------------------------------------------------------------------------


def _forms(newsroom):
    story = newsroom.stories[0]
    restriction = PageViewRestriction.objects.create(
        page=newsroom.stories[1], restriction_type="password", password="s3cret"
    )
    site = newsroom.home.get_site()
    return {
        "admin login": (LOGIN, {"username": "ines", "password": "right-pass-123"}),
        "front-end login": (reverse("wagtailcore_login"), {"username": "ines", "password": "x"}),
        "password reset": (reverse("wagtailadmin_password_reset"), {"email": "i@example.org"}),
        "private page password": (
            reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, story.pk]),
            {"password": "s3cret", "return_url": "/"},
        ),
        "logout": (reverse("wagtailadmin_logout"), {}),
        "page edit": (reverse("wagtailadmin_pages:edit", args=[story.pk]), {"title": "x"}),
        "page add": (
            reverse("wagtailadmin_pages:add", args=["articles", "articlepage", newsroom.news.pk]),
            {"title": "x"},
        ),
        "page delete": (reverse("wagtailadmin_pages:delete", args=[story.pk]), {}),
        "page unpublish": (reverse("wagtailadmin_pages:unpublish", args=[story.pk]), {}),
        "page lock": (reverse("wagtailadmin_pages:lock", args=[story.pk]), {}),
        "image upload": (
            reverse("wagtailimages:add"),
            {"title": "x", "file": SimpleUploadedFile("x.png", b"x")},
        ),
        "image delete": (reverse("wagtailimages:delete", args=[newsroom.image.pk]), {}),
        "document upload": (
            reverse("wagtaildocs:add"),
            {"title": "x", "file": SimpleUploadedFile("x.txt", b"x")},
        ),
        "author add": (reverse("wagtailsnippets_people_author:add"), {"name": "x"}),
        "topic add": (reverse("wagtailsnippets_sections_topic:add"), {"name": "x"}),
        "picks add": (reverse("wagtailsnippets_discovery_picklist:add"), {}),
        "settings": (
            reverse("wagtailsettings:edit", args=["editorial", "editorialsettings", site.pk]),
            {"spelling": "off"},
        ),
        "redirect add": (reverse("wagtailredirects:add"), {"old_path": "/x"}),
        "user add": (reverse("wagtailusers_users:add"), {"username": "x"}),
        "group add": (reverse("wagtailusers_groups:add"), {"name": "x"}),
        "account": (reverse("wagtailadmin_account"), {}),
    }


def test_every_form_refuses_a_post_without_its_csrf_token(newsroom, editor):
    client = Client(enforce_csrf_checks=True)
    forms = _forms(newsroom)
    for name, (url, data) in forms.items():
        client.force_login(editor)
        response = client.post(url, data)
        assert response.status_code == 403, f"{name} accepted a POST without a CSRF token"
        assert b"CSRF" in response.content or b"Forbidden" in response.content, name
    # Control: the same client with the token gets through, so the 403s above are CSRF's.
    client.logout()
    client.get(LOGIN)
    token = client.cookies["csrftoken"].value
    response = client.post(
        LOGIN,
        {"username": "ines", "password": "right-pass-123", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


# --- Headers ---------------------------------------------------------------------------


def test_reader_pages_get_a_strict_policy_and_the_admin_a_workable_one(client, newsroom, editor):
    story = newsroom.stories[0]
    for url in ("/", story.url, "/search/?q=border", "/feeds/rss/", "/no-such-page/"):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy, url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
        assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy, url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", url
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[story.pk]))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "object-src 'none'" in policy and "frame-ancestors 'self'" in policy


def test_reader_templates_need_no_inline_script_or_style(client, newsroom):
    """The strict policy would break a page that used inline script or style."""
    import re

    for url in ("/", newsroom.stories[0].url, "/news/", "/topics/marevia/", "/search/?q=x"):
        html = client.get(url).content.decode()
        scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
        assert all("application/ld+json" in attrs for attrs in scripts), (url, scripts)
        assert not re.search(r"<style[\s>]", html), url
        assert not re.search(r"\sstyle=\"", html), url
        assert not re.search(r"\son[a-z]+=\"", html), url


def test_proxy_ssl_header_setting_is_parsed_or_refused():
    assert proxy_ssl_header("X-Forwarded-Proto=https") == ("HTTP_X_FORWARDED_PROTO", "https")
    assert proxy_ssl_header("off") is None
    with pytest.raises(ImproperlyConfigured):
        proxy_ssl_header("X-Forwarded-Proto")


def _production_env(tmp_path, **extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        {
            "SECRET_KEY": "k" * 20 + "-production-only-secret-for-the-deploy-check-9f3",
            "ALLOWED_HOSTS": "news.example.org",
            "MASTHEAD_BASE_URL": "https://news.example.org",
            "MASTHEAD_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "masthead.settings.production",
            **extra,
        }
    )
    return env


@pytest.mark.slow
def test_deploy_check_is_clean_with_production_settings(tmp_path):
    masthead = os.path.join(os.path.dirname(sys.executable), "masthead")
    result = subprocess.run(
        [masthead, "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, s.X_FRAME_OPTIONS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=_production_env(tmp_path, MASTHEAD_PROXY_SSL_HEADER="X-Forwarded-Scheme=https"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == [
        "True",
        "True",
        "True",
        "31536000",
        "('HTTP_X_FORWARDED_SCHEME',",
        "'https')",
        "DENY",
    ], result.stderr
