"""Stories as IPTC ninjs 2.0, validated against the official schema (tests/data/ninjs)."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

from masthead.articles.models import Correction
from masthead.sections.factories import TopicFactory

from .conftest import response_validator

pytestmark = pytest.mark.django_db

SCHEMA_PATH = (
    Path(__file__).resolve().parents[3] / "tests" / "data" / "ninjs" / "ninjs-schema_2.0.json"
)


@pytest.fixture(scope="module")
def ninjs_validator():
    schema = json.loads(SCHEMA_PATH.read_text())
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


def _assert_valid(validator, item):
    errors = sorted(validator.iter_errors(item), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_every_kind_of_story_is_valid_ninjs(client, newsroom, ninjs_validator):
    person = TopicFactory(name="Irina Valek", slug="irina-valek", kind="person")
    org = TopicFactory(name="Border Council", slug="border-council", kind="organisation")
    full = newsroom.publish(
        title="Ministers agree on the crossing, ‘finally’",
        slug="ministers-agree-é",
        kicker="Exclusive",
        source_name="Coastal Wire",
        source_url="https://wire.example.org/story/1",
        authors=[newsroom.reporter, newsroom.columnist],
        topics=[person, org, newsroom.marevia, newsroom.energy],
        lead_image=newsroom.image,
    )
    Correction.objects.create(page=full, text="An earlier version gave the wrong date.")
    bare = newsroom.publish(title="A story with nothing but words", lead_image=None)
    for story in (full, bare, newsroom.stories[0]):
        response = client.get(f"/api/v1/stories/{story.pk}/ninjs/")
        assert response.status_code == 200
        _assert_valid(ninjs_validator, response.json())

    item = client.get(f"/api/v1/stories/{full.pk}/ninjs/").json()
    assert item["uri"].startswith("http://testserver/news/ministers-agree-")
    assert item["headlines"] == [{"role": "main", "value": full.title}]
    assert item["by"] == "Mira Castellan and Kenji Larsson-Abe"
    assert [p["name"] for p in item["people"]] == ["Irina Valek"]
    assert [o["name"] for o in item["organisations"]] == ["Border Council"]
    assert [p["name"] for p in item["places"]] == ["Marevia"]
    assert "Energy" in [s["name"] for s in item["subjects"]]
    assert item["infosources"] == [
        {"name": "Coastal Wire", "uri": "https://wire.example.org/story/1"}
    ]
    assert "wrong date" in item["ednote"]
    assert item["associations"][0]["by"] == "Ana Rivas"
    assert "Foreign ministers met" in item["bodies"][0]["value"]
    assert "associations" not in client.get(f"/api/v1/stories/{bare.pk}/ninjs/").json()


def test_ninjs_list_items_are_valid_and_paginated(client, newsroom, ninjs_validator):
    data = client.get("/api/v1/ninjs/stories/?limit=5").json()
    assert len(data["results"]) == 5 and data["next"]
    for item in data["results"]:
        _assert_valid(ninjs_validator, item)
    rest = client.get(data["next"]).json()
    assert len(rest["results"]) == len(newsroom.stories) - 5


def test_the_validator_refuses_what_is_not_ninjs(ninjs_validator):
    assert list(ninjs_validator.iter_errors({"type": "text"}))  # no uri
    assert list(ninjs_validator.iter_errors({"uri": "not a uri"}))
    assert list(ninjs_validator.iter_errors({"uri": "http://x.example/", "firstcreated": "today"}))
    assert list(ninjs_validator.iter_errors({"uri": "http://x.example/", "invented": 1}))


def test_the_openapi_document_types_the_ninjs_answers_and_they_match_it(
    client, newsroom, openapi, ninjs_validator
):
    full = newsroom.publish(
        title="Ministers agree on the crossing",
        kicker="Exclusive",
        source_url="https://wire.example.org/story/1",
        source_name="Coastal Wire",
        topics=[TopicFactory(name="Irina Valek", kind="person"), newsroom.marevia],
        lead_image=newsroom.image,
    )
    Correction.objects.create(page=full, text="An earlier version gave the wrong date.")
    bare = newsroom.publish(title="Nothing but words", lead_image=None)
    detail = "/api/v1/stories/{story_id}/ninjs/"
    listing = "/api/v1/ninjs/stories/"
    story_schema = openapi["components"]["schemas"]["NinjsStory"]
    # A real schema, not "any object": typed fields, nothing undeclared.
    assert story_schema["additionalProperties"] is False
    assert story_schema["properties"]["uri"]["type"] == "string"
    assert {"uri", "headlines", "bodies", "standard"} <= set(story_schema["required"])
    standard = openapi["components"]["schemas"]["NinjsStandard"]
    assert set(standard["properties"]) == {"name", "version", "schema"}

    for story in (full, bare):
        response = client.get(f"/api/v1/stories/{story.pk}/ninjs/")
        assert response.status_code == 200
        item = response.json()
        errors = list(response_validator(openapi, detail).iter_errors(item))
        assert not errors, [e.message for e in errors[:3]]
        _assert_valid(ninjs_validator, item)  # and still ninjs: no null crept in
    first = client.get(f"{listing}?limit=2").json()
    last = client.get(first["next"].replace("limit=2", "limit=100")).json()
    for page in (first, last):
        errors = list(response_validator(openapi, listing).iter_errors(page))
        assert not errors, [e.message for e in errors[:3]]
    assert last["next"] is None  # kept as null on the last page, as the schema says

    # The check can fail: a number for the uri, or a field ninjs does not have.
    validator = response_validator(openapi, detail)
    good = client.get(f"/api/v1/stories/{full.pk}/ninjs/").json()
    assert list(validator.iter_errors(good | {"uri": 5}))
    assert list(validator.iter_errors(good | {"invented": "x"}))
