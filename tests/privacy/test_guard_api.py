"""Every text property of every API request body refuses a personal identity number.

The operations and properties come from the OpenAPI schema, so an endpoint or a property added
later is covered without being listed here: each string property is posted alone with a valid
personnummer and must come back as a 400 naming that property.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from citizens.models import Experience
from learning.models import ObstacleGroup
from lessons.models import Lesson
from meetings.models import AgendaItem, Meeting
from notifications.models import WebhookEndpoint

from .numbers import IMPOSSIBLE_DATE, PERSONNUMMER, SAMORDNINGSNUMMER, WRONG_CHECK_DIGIT

GUARD_WORDS = "personal identity number"
# References to other objects that travel as strings, each with its own validation: not text.
REFERENCES = {"theme", "url", "case"}  # by slug or reference: not free text


def _schema_text_properties() -> list[tuple[str, str, str]]:
    openapi = SchemaGenerator().get_schema(request=None, public=True)
    schemas = openapi["components"]["schemas"]
    found = []
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if not body:
                continue
            schema = body["schema"]
            if "$ref" in schema:
                schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
            for name, prop in schema.get("properties", {}).items():
                text = prop.get("type") == "string" and "format" not in prop
                free = name not in REFERENCES and "enum" not in prop
                if text and free and not prop.get("readOnly"):
                    found.append((method.upper(), path, name))
    return found


PROPERTIES = _schema_text_properties()


def test_the_schema_holds_the_free_text_properties() -> None:
    found = {(path, name) for _method, path, name in PROPERTIES}
    for expected in (
        ("/api/v1/cases/", "title"),
        ("/api/v1/cases/{id}/transition/", "reason"),
        ("/api/v1/actions/{id}/updates/", "text"),
        ("/api/v1/participations/{id}/decline/", "reason"),
        ("/api/v1/measurements/{id}/return/", "comment"),
        ("/api/v1/tokens/", "name"),
    ):
        assert expected in found, expected
    assert len(PROPERTIES) >= 30


def _path_ids(demo) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    outcome = demo.youth.outcomes.first()
    endpoint = WebhookEndpoint.objects.create(
        organisation=demo.orgs.sodertalje, url="http://127.0.0.1:9/hook", secret="s" * 32
    )
    return {
        "cases": demo.youth.pk,
        "actions": demo.actions.picture.pk,
        "outcomes": outcome.pk,
        "measurements": outcome.measurements.first().pk,
        "participations": demo.youth.participations.get(organisation=demo.orgs.police).pk,
        "webhook-endpoints": endpoint.pk,
        "meetings": Meeting.objects.order_by("pk").last().pk,
        "agenda-items": AgendaItem.objects.order_by("pk").last().pk,
        "obstacle-groups": ObstacleGroup.objects.order_by("pk").first().pk,
        "public": demo.public.reference,  # /api/v1/public/cases/{reference}/experiences/
        "experiences": Experience.objects.order_by("pk").last().pk,  # the demo's pending one
        # A path with two parameters, given whole: a due follow-up point of the demo's closed case.
        "/api/v1/cases/{reference}/followups/{id}/report/": _followup_report_path(),
        "lessons": Lesson.objects.order_by("pk").first().pk,
    }


def _followup_report_path() -> str:
    from followups.models import FollowUp

    point = FollowUp.objects.filter(status="scheduled").order_by("due_on", "pk").first()
    return f"/api/v1/cases/{point.case.reference}/followups/{point.pk}/report/"


def _url(path: str, ids: dict[str, Any]) -> str:
    if path in ids:
        return ids[path]
    collection = path.split("/")[3]  # /api/v1/<collection>/...
    return re.sub(r"\{[^}]+\}", str(ids.get(collection, 0)), path)


def _client(demo, path: str) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    # The committee may do everything but an organisation's webhooks, which are its admins'.
    client.force_authenticate(demo.sara if "/webhook-endpoints/" in path else demo.anna)
    return client


def _errors_of(response: Any, name: str) -> str:
    body = response.json() if response.content else {}
    return str(body.get(name, "")) if isinstance(body, dict) else ""


def _send(demo, method: str, path: str, name: str, text: str) -> Any:  # type: ignore[no-untyped-def]
    url = _url(path, _path_ids(demo))
    body = json.dumps({name: text})
    return _client(demo, path).generic(method, url, data=body, content_type="application/json")


IDS = [" ".join(p) for p in PROPERTIES]


@pytest.mark.parametrize(("method", "path", "name"), PROPERTIES, ids=IDS)
def test_every_text_property_refuses_a_personal_identity_number(demo, method, path, name) -> None:
    for number in (PERSONNUMMER, SAMORDNINGSNUMMER):
        response = _send(demo, method, path, name, f"Angående {number}")
        assert response.status_code == 400, (path, response.content)
        assert GUARD_WORDS in _errors_of(response, name), (path, response.content)
        assert number not in response.content.decode()


@pytest.mark.parametrize(("method", "path", "name"), PROPERTIES, ids=IDS)
def test_every_text_property_accepts_a_number_that_is_not_one(demo, method, path, name) -> None:
    for number in (WRONG_CHECK_DIGIT, IMPOSSIBLE_DATE):
        response = _send(demo, method, path, name, f"Ärende {number}")
        assert response.status_code < 500
        assert GUARD_WORDS not in _errors_of(response, name), (path, response.content)
