from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.mark.django_db
def test_openapi_schema_is_valid_and_generates_without_warnings():
    output = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=output)
    assert output.getvalue().startswith("openapi: 3.0.3")


def operations() -> list[tuple[str, str, dict]]:
    output = StringIO()
    call_command("spectacular", "--format", "openapi-json", stdout=output)
    schema = json.loads(output.getvalue())
    return [
        (method, path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


@pytest.mark.django_db
def test_every_answer_an_operation_can_give_is_documented():
    """401 wherever a caller must authenticate (the /api/v1/me/ lists included), 403 on a
    session's writes (CSRF), 429 with Retry-After wherever a rate limit applies: the anonymous
    limit on every public operation, the upload limit on every credential write and on the
    profile's (it takes a photo), the clinic limit on adding a clinic."""
    found = operations()
    assert len(found) > 20
    for method, path, operation in found:
        responses = operation["responses"]
        private = path.startswith("/api/v1/me/")
        assert ("401" in responses) == private, (method, path)
        assert ("403" in responses) == (private and method != "get"), (method, path)
        limited = (
            not private
            or (
                method in {"post", "patch"}
                and (
                    "licenses" in path or "certifications" in path or path == "/api/v1/me/profile/"
                )
            )
            or (method, path) == ("post", "/api/v1/me/locations/")
        )
        assert ("429" in responses) == limited, (method, path)
        if limited:
            assert "Retry-After" in responses["429"]["headers"], (method, path)
        # gunicorn's own refusals, before the app: a URL or headers over its limits.
        for code in ("414", "431"):
            assert responses[code]["content"] == {"text/html": {"schema": {"type": "string"}}}
        for code in {"401", "403", "429"} & set(responses):
            schema = responses[code]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, code)
