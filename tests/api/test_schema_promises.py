"""The OpenAPI schema promises only what the server does: fields, parameters, status codes."""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

from agencies.models import ApiToken
from tests.helpers import nothing_written


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _operation(openapi: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    return openapi["paths"][path][method]


def _request_body(openapi: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    ref = _operation(openapi, path, method)["requestBody"]["content"]["application/json"]
    name = ref["schema"]["$ref"].rsplit("/", 1)[-1]
    return openapi["components"]["schemas"][name]


def _parameter(openapi: dict[str, Any], path: str, method: str, name: str) -> dict[str, Any]:
    parameters = _operation(openapi, path, method)["parameters"]
    return next(p for p in parameters if p["name"] == name)


# Participations: PUT documents exactly what it accepts.


def test_participation_put_documents_only_role_mandate_and_contact_as_writable(openapi) -> None:
    body = _request_body(openapi, "/api/v1/participations/{id}/", "put")
    assert set(body["properties"]) == {"role", "mandate", "contact_person"}
    assert "organisation" not in body.get("required", [])


def test_participation_put_with_only_the_documented_fields_succeeds(demo, api) -> None:
    participation = demo.youth.participations.get(organisation=demo.orgs.police)
    response = api(demo.anna).put(
        f"/api/v1/participations/{participation.pk}/",
        {"role": participation.role, "mandate": "Lägesbild varje vecka", "contact_person": None},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["mandate"] == "Lägesbild varje vecka"
    assert response.json()["organisation"] == demo.orgs.police.pk


def test_participation_put_ignores_the_read_only_organisation(demo, api) -> None:
    participation = demo.youth.participations.get(organisation=demo.orgs.police)
    response = api(demo.anna).put(
        f"/api/v1/participations/{participation.pk}/",
        {"organisation": demo.orgs.kiruna.pk, "role": participation.role, "mandate": "M"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["organisation"] == demo.orgs.police.pk


# Pagination: page_size is honoured within documented bounds.


def test_page_size_is_documented_with_its_bounds(openapi) -> None:
    schema = _parameter(openapi, "/api/v1/cases/", "get", "page_size")["schema"]
    assert (schema["minimum"], schema["maximum"]) == (1, 100)
    assert _parameter(openapi, "/api/v1/cases/", "get", "page")["schema"]["minimum"] == 1


def test_page_size_is_honoured(demo, api) -> None:
    body = api(demo.anna).get("/api/v1/cases/?page_size=2").json()
    assert len(body["results"]) == 2
    assert "page_size=2" in body["next"]


@pytest.mark.parametrize("value", ["0", "-1", "101", "abc"])
def test_page_size_outside_its_bounds_is_a_400_naming_it(demo, api, value) -> None:
    response = api(demo.anna).get(f"/api/v1/cases/?page_size={value}")
    assert response.status_code == 400
    assert "page_size" in response.json()


@pytest.mark.parametrize("value", ["", "last", "0", "x"])
def test_a_page_that_is_not_a_page_number_is_a_404(demo, api, value) -> None:
    assert api(demo.anna).get(f"/api/v1/organisations/?page={value}").status_code == 404


# Id filters: documented as ids from 1, as the server checks.


@pytest.mark.parametrize(
    "path,name",
    [
        ("/api/v1/actions/", "case"),
        ("/api/v1/actions/", "assignee"),
        ("/api/v1/actions/", "lead_organisation"),
        ("/api/v1/outcomes/", "case"),
        ("/api/v1/cases/", "coordinator"),
        ("/api/v1/cases/", "organisation"),
    ],
)
def test_id_filters_are_documented_as_positive_ids(openapi, path, name) -> None:
    schema = _parameter(openapi, path, "get", name)["schema"]
    assert schema["type"] == "integer" and schema["minimum"] == 1


def test_an_id_filter_of_zero_is_a_400_as_documented(demo, api) -> None:
    response = api(demo.anna).get("/api/v1/actions/?case=0")
    assert response.status_code == 400 and "case" in response.json()


# Status codes: every answer the server gives is documented, with its body.


def test_stale_write_412_is_documented_only_where_versions_are_checked(openapi) -> None:
    assert "412" in _operation(openapi, "/api/v1/cases/{id}/", "put")["responses"]
    assert "412" in _operation(openapi, "/api/v1/actions/{id}/", "patch")["responses"]
    assert "412" not in _operation(openapi, "/api/v1/outcomes/{id}/", "put")["responses"]
    assert (
        "412" not in _operation(openapi, "/api/v1/notifications/preferences/", "put")["responses"]
    )


def test_reused_idempotency_key_422_is_documented_where_keys_are_accepted(openapi) -> None:
    assert "422" in _operation(openapi, "/api/v1/cases/", "post")["responses"]
    assert "422" in _operation(openapi, "/api/v1/tokens/", "post")["responses"]
    assert "422" not in _operation(openapi, "/api/v1/notifications/read-all/", "post")["responses"]


def test_every_write_documents_oversize_unsupported_body_and_throttling(openapi) -> None:
    for path, operations in openapi["paths"].items():
        for method in ("post", "put", "patch"):
            if method in operations:
                codes = set(operations[method]["responses"])
                assert {"400", "413", "429"} <= codes, (method, path, codes)


def test_every_operation_documents_404_401_and_a_body_for_each_error(openapi) -> None:
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"401", "404"} <= set(responses), (method, path)
            for code, response in responses.items():
                if code.startswith(("4", "5")):
                    assert "application/json" in response["content"], (method, path, code)


def test_nul_characters_answer_400_as_documented(demo, api, openapi) -> None:
    assert "400" in _operation(openapi, "/api/v1/tokens/", "post")["responses"]
    with nothing_written():
        response = api(demo.sara).post("/api/v1/tokens/", {"name": "a\x00b"}, format="json")
    assert response.status_code == 400


# Strings are strings: no coercion of numbers or booleans.


@pytest.mark.parametrize("name", [0, 12.5, True])
def test_a_token_name_that_is_not_a_string_is_refused(demo, api, name) -> None:
    before = ApiToken.objects.count()
    response = api(demo.sara).post("/api/v1/tokens/", {"name": name}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()
    assert ApiToken.objects.count() == before + 1  # only the test client's own token


def test_a_case_title_that_is_a_number_is_refused(demo, api) -> None:
    with nothing_written():
        response = api(demo.anna).post(
            "/api/v1/cases/",
            {"title": 7, "summary": "S", "theme": "youth-crime", "is_national": True},
            format="json",
        )
    assert response.status_code == 400 and "title" in response.json()


def test_a_webhook_description_that_is_a_number_is_refused(demo, api) -> None:
    with nothing_written():
        response = api(demo.sara).post(
            "/api/v1/webhook-endpoints/",
            {
                "organisation": demo.orgs.sodertalje.pk,
                "url": "https://hooks.example.org/samverkan",
                "description": 5,
            },
            format="json",
        )
    assert response.status_code == 400 and "description" in response.json()


def test_an_empty_string_is_not_a_null_contact_person_in_json(demo, api) -> None:
    participation = demo.youth.participations.get(organisation=demo.orgs.police)
    response = api(demo.anna).patch(
        f"/api/v1/participations/{participation.pk}/", {"contact_person": ""}, format="json"
    )
    assert response.status_code == 400 and "contact_person" in response.json()
    participation.refresh_from_db()
    assert participation.contact_person is not None


# Notification preferences: a form body is validated like a JSON one.


def test_multipart_preferences_with_an_invalid_email_value_is_a_400(demo, api) -> None:
    client = api(demo.sara)
    before = client.get("/api/v1/notifications/preferences/").json()
    response = client.put(
        "/api/v1/notifications/preferences/", {"email": "bogus"}, format="multipart"
    )
    assert response.status_code == 400
    assert "email" in response.json()
    assert client.get("/api/v1/notifications/preferences/").json() == before


def test_multipart_preferences_with_an_unknown_field_is_a_400(demo, api) -> None:
    response = api(demo.sara).put(
        "/api/v1/notifications/preferences/", {"email[case.created]": "off"}, format="multipart"
    )
    assert response.status_code == 400
    assert "email[case.created]" in response.json()


def test_multipart_preferences_with_a_valid_dotted_value_is_saved(demo, api) -> None:
    client = api(demo.sara)
    response = client.put(
        "/api/v1/notifications/preferences/", {"email.case.created": "off"}, format="multipart"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["email"]["case.created"] == "off"


# Filters: a parameter that is present must be read, not silently dropped.


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/cases/?is_national=maybe",
        "/api/v1/cases/?status=",
        "/api/v1/actions/?due_before=",
        "/api/v1/actions/?overdue=",
        "/api/v1/organisations/?has_regional_duties=null",
    ],
)
def test_an_unreadable_filter_value_is_a_400_naming_the_filter(demo, api, query) -> None:
    response = api(demo.anna).get(query)
    assert response.status_code == 400
    name = query.split("?")[1].split("=")[0]
    assert name in response.json()


def test_readable_filters_and_empty_text_search_still_answer(demo, api) -> None:
    client = api(demo.anna)
    assert client.get("/api/v1/cases/?is_national=false&q=").status_code == 200
    assert client.get("/api/v1/actions/?overdue=true").status_code == 200


def test_schema_documents_booleans_and_decimals_as_the_server_reads_them(openapi) -> None:
    assert _parameter(openapi, "/api/v1/actions/", "get", "overdue")["schema"]["type"] == "boolean"
    outcome = openapi["components"]["schemas"]["OutcomeRequest"]["properties"]
    assert outcome["target_value"]["pattern"] == r"^-?\d{1,12}(?:\.\d{1,2})?$"
    assert outcome["title"]["pattern"] == r"\S"  # trimmed, then refused when blank


def test_request_bodies_are_documented_as_json(openapi) -> None:
    content = _operation(openapi, "/api/v1/cases/", "post")["requestBody"]["content"]
    assert set(content) == {"application/json"}
