"""The served OpenAPI 3.1 document: valid, complete over the app's /api routes, built
from the pydantic models, and matching what the API actually answers."""

from __future__ import annotations

import re
from typing import Any

import hypothesis
import jsonschema_rs
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import ApiClient
from timeline.api.openapi import REF
from timeline.events import schemas

METHODS = {"get", "post", "patch", "delete", "put"}


@pytest.fixture
def document(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    body: dict[str, Any] = response.get_json()
    return body


def _validator(document: dict[str, Any], name: str) -> jsonschema_rs.Validator:
    """A validator of the component schema ``name``, resolving the document's refs."""
    root = {"$ref": REF.format(model=name), "components": document["components"]}
    return jsonschema_rs.Draft202012Validator(root)


def _valid(document: dict[str, Any], name: str, instance: Any) -> None:
    errors = [str(e) for e in _validator(document, name).iter_errors(instance)]
    assert not errors, (name, errors)


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    definitions = pytest.importorskip("schemathesis.specs.openapi.definitions")
    errors = [str(e) for e in definitions.OPENAPI_31_VALIDATOR.iter_errors(document)]
    assert not errors
    for name, schema in document["components"]["schemas"].items():
        assert jsonschema_rs.meta.is_valid(schema), name


def test_every_api_route_is_documented_with_its_methods(
    app: Flask, document: dict[str, Any]
) -> None:
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
            routes.setdefault(path, set()).update(m.lower() for m in rule.methods or ())
    assert routes
    documented = {path: set(item) & METHODS for path, item in document["paths"].items()}
    assert documented == {path: methods & METHODS for path, methods in routes.items()}


def test_request_bodies_are_the_pydantic_schemas(document: dict[str, Any]) -> None:
    components = document["components"]["schemas"]
    post = document["paths"]["/api/events"]["post"]["requestBody"]["content"]
    assert list(post) == ["application/json"]
    assert post["application/json"]["schema"] == {"$ref": REF.format(model="EventInput")}
    expected = schemas.EventInput.model_json_schema(ref_template=REF)
    for name, schema in expected.pop("$defs", {}).items():
        assert components[name] == schema
    assert components["EventInput"] == expected
    patch = document["paths"]["/api/events/{event_id}"]["patch"]["requestBody"]["content"]
    assert list(patch) == ["application/merge-patch+json", "application/json"]
    expected = schemas.EventPatch.model_json_schema(ref_template=REF)
    expected.pop("$defs", None)
    assert components["EventPatch"] == expected
    read_only = {
        name for name, field in components["Event"]["properties"].items() if field.get("readOnly")
    }
    assert read_only == {"precision", "created", "updated", "sequence", "links", "occurrences"}
    assert not read_only & set(components["EventInput"]["properties"])


def test_writes_need_the_bearer_scheme_and_errors_are_problems(
    document: dict[str, Any],
) -> None:
    assert document["components"]["securitySchemes"] == {
        "bearer": {"type": "http", "scheme": "bearer"}
    }
    problem = {"$ref": REF.format(model="Problem")}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            writes = method in ("post", "patch", "delete", "put")
            assert ("security" in operation) is writes, (path, method)
            for status, response in operation["responses"].items():
                if status == "default" or int(status) >= 400:
                    assert response["content"] == {"application/problem+json": {"schema": problem}}
            if writes:
                assert "401" in operation["responses"], (path, method)
    post = document["paths"]["/api/events"]["post"]["responses"]
    assert set(post) == {"200", "201", "400", "401", "409", "410", "413", "415", "422", "default"}
    patch = document["paths"]["/api/events/{event_id}"]["patch"]["responses"]
    assert {"412", "422", "404", "410"} <= set(patch)


def test_answers_match_the_documented_schemas(api: ApiClient, document: dict[str, Any]) -> None:
    event = api.created(
        {
            "title": "Summit",
            "start": "2025-02-09",
            "end": "2025-02-10",
            "tags": ["AI"],
            "source": {"name": "Paper", "published": "2025-02"},
        }
    )
    _valid(document, "Event", event)
    _valid(document, "EventList", api.client.get("/api/events").get_json())
    api.patch(event["id"], {"title": "Summit, renamed"})
    api.delete(event["id"])
    history = api.client.get(f"/api/events/{event['id']}/revisions").get_json()
    _valid(document, "RevisionList", history)
    for response in (
        api.post({"title": "", "colour": 1}),
        api.post({"title": "x", "start": "2025-02-30"}),
        api.client.get("/api/events?limit=0"),
        api.client.post("/api/events", json={}),
        api.client.get(f"/api/events/{event['id']}"),
    ):
        assert response.status_code >= 400
        _valid(document, "Problem", response.get_json())
    # What the API answers it also accepts, as the input schema says.
    body = {k: v for k, v in event.items() if k not in ("precision", "created", "updated")}
    body = {k: v for k, v in body.items() if k not in ("sequence", "links", "occurrences")}
    _valid(document, "EventInput", body)
    assert not _validator(document, "EventInput").is_valid(event)


def test_list_parameters_follow_the_configuration(make_app: Any) -> None:
    app = make_app(API_PAGE_SIZE=7, API_MAX_PAGE_SIZE=9)
    document = app.test_client().get("/api/openapi.json").get_json()
    limit = document["components"]["parameters"]["limit"]["schema"]
    assert (limit["default"], limit["maximum"]) == (7, 9)


def test_fuzzing_the_document_finds_no_5xx_and_no_mismatch(app: Flask, token: str) -> None:
    """Schemathesis over the served document, bounded: no 5xx, and every response
    (status, headers, body) as documented. Schema-valid bodies may still be refused:
    JSON Schema cannot say "end after start" or "a wall time that exists"."""
    schemathesis = pytest.importorskip("schemathesis")
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"}
    for result in schema.get_all_operations():
        operation = result.ok()

        @hypothesis.given(case=operation.as_strategy())
        @hypothesis.settings(
            max_examples=25,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
        def fuzz(case: Any) -> None:
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        fuzz()
