import pytest
from jsonschema import Draft202012Validator


@pytest.fixture
def openapi(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def response_validator(openapi: dict, path: str, status: int = 200) -> Draft202012Validator:
    """Return a validator for the JSON the OpenAPI document promises at ``path``."""
    operation = openapi["paths"][path]["get"]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    # OpenAPI 3.1 schemas are JSON Schema 2020-12; "#/components/..." refers to the document.
    return Draft202012Validator({**schema, "components": openapi["components"]})


def set_switches(**values) -> None:
    """Save the default site's API settings with ``values``."""
    from wagtail.models import Site

    from masthead.api.models import ApiSettings

    site = Site.objects.get(is_default_site=True)
    row, _ = ApiSettings.objects.get_or_create(site=site)
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
