"""Page and collection passwords and password resets are throttled like sign-in (issue 22, 4)."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from masthead.accounts import throttle
from masthead.core import state

pytestmark = pytest.mark.django_db

RIGHT = "harbour-secret-1"


def _try(client, url, password, return_url="/", address="10.0.0.9"):
    return client.post(url, {"password": password, "return_url": return_url}, REMOTE_ADDR=address)


@pytest.fixture
def private_story(newsroom):
    story = newsroom.stories[0]
    restriction = PageViewRestriction.objects.create(
        page=story, restriction_type="password", password=RIGHT
    )
    url = f"/_util/authenticate_with_password/{restriction.pk}/{story.pk}/"
    return story, url


def test_thirty_wrong_page_passwords_are_not_followed_by_a_right_one(private_story):
    story, url = private_story
    client = Client()
    statuses = [_try(client, url, f"guess-{n}", story.url).status_code for n in range(30)]
    assert statuses[:5] == [200] * 5  # the form again, "wrong password"
    assert set(statuses[5:]) == {429}
    response = _try(client, url, RIGHT, story.url)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many wrong passwords" in html and "15 minutes" in html
    assert RIGHT not in html
    # The story stays closed to this client.
    assert "Password required" in client.get(story.url).content.decode()


def test_the_page_password_lock_is_per_client_and_ends(private_story):
    story, url = private_story
    locked = Client()
    for n in range(5):
        _try(locked, url, f"guess-{n}", story.url)
    other = Client()
    assert _try(other, url, RIGHT, story.url, address="10.0.0.10").status_code == 302
    state.store().clear()  # the lock expires
    assert _try(locked, url, RIGHT, story.url).status_code == 302
    assert locked.get(story.url).status_code == 200


def test_a_right_password_resets_the_count(private_story):
    story, url = private_story
    client = Client()
    for n in range(4):
        _try(client, url, f"guess-{n}", story.url)
    assert _try(client, url, RIGHT, story.url).status_code == 302
    for n in range(4):
        assert _try(client, url, f"again-{n}", story.url).status_code == 200


def test_collection_passwords_are_throttled_too():
    root = Collection.get_first_root_node()
    vault = root.add_child(name="Vault")
    restriction = CollectionViewRestriction.objects.create(
        collection=vault, restriction_type="password", password=RIGHT
    )
    document = Document.objects.create(
        title="Memo", file=SimpleUploadedFile("memo.txt", b"memo"), collection=vault
    )
    url = f"/documents/authenticate_with_password/{restriction.pk}/"
    client = Client()
    for n in range(5):
        assert _try(client, url, f"guess-{n}", document.url).status_code == 200
    response = _try(client, url, RIGHT, document.url)
    assert response.status_code == 429
    assert "Too many wrong passwords" in response.content.decode()


@pytest.fixture
def account(django_user_model):
    return django_user_model.objects.create_user("ines", "ines@example.org", "pw-123456789")


def _reset(client, email, address="10.0.0.9"):
    return client.post("/admin/password_reset/", {"email": email}, REMOTE_ADDR=address)


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_password_resets_are_limited_per_address(account):
    client = Client()
    statuses = [_reset(client, "ines@example.org").status_code for _ in range(6)]
    assert statuses[:3] == [302] * 3
    assert set(statuses[3:]) == {429}
    assert len(mail.outbox) == 3
    # Case does not dodge it; an unknown address reads the same.
    assert _reset(client, "INES@example.org").status_code == 429
    html = _reset(Client(), "ines@example.org", "10.0.0.50").content.decode()
    assert "Too many password-reset requests" in html


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_password_resets_are_limited_per_client(account):
    client = Client()
    statuses = [_reset(client, f"nobody{n}@example.org").status_code for n in range(12)]
    assert statuses[:10] == [302] * 10
    assert set(statuses[10:]) == {429}
    # The account holder, from another client, can still ask.
    assert _reset(Client(), "ines@example.org", "10.0.0.77").status_code == 302
    assert len(mail.outbox) == 1


def test_a_scope_counts_in_the_shared_store():
    """Counts and locks live in core.state's store (every process), not a worker's cache."""
    from django.core.cache import cache

    scope = throttle.Scope("test", "NO_SUCH_LIMIT", 3, "NO_SUCH_SECONDS", 60)
    assert [scope.hit("a", "1.2.3.4") for _ in range(3)] == [False, False, True]
    assert scope.is_locked("A", "1.2.3.4")  # parts are compared without case
    assert not scope.is_locked("b", "1.2.3.4")
    lock = scope._key("lock", ("a", "1.2.3.4"))
    assert state.store().get(lock)
    if state.store() is not cache:
        assert not cache.get(lock)
    scope.clear("a", "1.2.3.4")
    assert not scope.is_locked("a", "1.2.3.4")
