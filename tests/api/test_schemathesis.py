"""Schemathesis against /api/schema/: generated requests, no server errors, answers as documented.

Runs in-process on the WSGI app inside the test's transaction (nothing to flush afterwards),
authenticated as a committee member so every write path is exercised, with a fixed seed
(derandomize). Most generated ids are replaced by ids of real demo objects, so updates and
nested posts reach the services instead of stopping at 404. `-m "not schemathesis"` skips it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from agencies.services import api_token_create
from cases.models import Measurement, Outcome

EXAMPLES = 100
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
RESOURCE = re.compile(r"^/api/v1/(\w+)/\{id\}")


@pytest.fixture
def in_process_requests() -> Iterator[None]:
    """Keep the test's database connection open across requests, as Django's test client does.

    Django closes connections when a request finishes (CONN_MAX_AGE=0); on PostgreSQL that would
    end the test's transaction under Schemathesis's own WSGI client.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def committee_token(demo, in_process_requests) -> dict:
    _token, secret = api_token_create(user=demo.anna, name="schemathesis")
    spare, _secret = api_token_create(user=demo.anna, name="to be revoked")
    youth = demo.youth
    return {
        "headers": {"Authorization": f"Bearer {secret}"},
        "ids": {
            "cases": youth.pk,
            "participations": youth.participations.get(organisation=demo.orgs.police).pk,
            "actions": demo.actions.picture.pk,
            "outcomes": Outcome.objects.filter(case=youth).first().pk,
            "measurements": Measurement.objects.filter(
                outcome__case=youth, review_state="submitted"
            )
            .first()
            .pk,
            "organisations": demo.orgs.police.pk,
            "tokens": spare.pk,
        },
    }


def _point_at_real_objects(case, ids: dict) -> None:  # type: ignore[no-untyped-def]
    """Two in three generated ids become the id of a real object of that resource."""
    match = RESOURCE.match(case.path)
    current = (case.path_parameters or {}).get("id")
    if match and isinstance(current, int) and current % 3 and match.group(1) in ids:
        case.path_parameters["id"] = ids[match.group(1)]


@pytest.mark.schemathesis
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_documented_as_a_committee_member(case, committee_token) -> None:
    _point_at_real_objects(case, committee_token["ids"])
    case.call_and_validate(headers=committee_token["headers"], checks=CHECKS)
