"""Schemathesis against /api/schema/: every check, as a committee member, a partner, an outsider.

Runs in-process on the WSGI app inside each test's transaction (nothing to flush afterwards),
with a fixed seed (derandomize). Positive and negative data are generated; all of Schemathesis's
checks run (`--checks all`), except where a check cannot apply, each named below with the reason.
Most generated ids, in paths and in bodies, are replaced by ids of real objects, so updates,
invitations, answers, webhooks and measurements reach their success paths instead of stopping at
404. `-m "not schemathesis"` skips the module.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import (
    ensure_resource_availability,
    positive_data_acceptance,
    use_after_free,
)

from agencies.choices import MembershipRole
from agencies.services import api_token_create, membership_set
from cases import services
from cases.choices import ParticipationRole
from cases.models import Case, Measurement, Outcome
from citizens.models import Experience
from notifications.models import Event
from notifications.webhooks.choices import DeliveryState
from notifications.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.conftest import need

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
# The statuses each persona got per operation, for the closing test below.
ANSWERS: defaultdict[tuple[str, str, str], set[int]] = defaultdict(set)
RESOURCE = re.compile(r"^/api/v1/([\w-]+)/\{id\}(/[\w-]+/)?")

# Checks that cannot apply to one request at a time, and so are left out, with the reason:
EXCLUDED = [
    # Both follow a resource across a sequence of calls (create, then delete, then read it);
    # they need Schemathesis's stateful runner and its recorder, and return nothing here. The
    # DELETE-then-GET promise is pinned by tests/api/test_tokens_and_errors.py (a revoked token
    # is 404) and tests/webhooks/test_api.py.
    use_after_free,
    ensure_resource_availability,
    # Replaced for writes by `_schema_valid_writes_are_not_refused_as_malformed` below: a
    # schema-valid body may still break a rule no schema can state (an organisation invited
    # twice, a target date before the start date, an id of an object that does not exist), and
    # the API answers those with 400 and field errors by design. GETs keep the built-in check.
]

# Findings in areas other branches fix, excluded for that one operation until they merge:
ELSEWHERE = {
    # `?endpoint=<id>` names one of the asker's own endpoints: any other id, another
    # organisation's or none at all, answers the same 400 by design, so that the filter is no
    # existence oracle (tests/webhooks/test_api.py). A schema cannot say "one of yours".
    ("GET", "/api/v1/webhook-deliveries/"): [positive_data_acceptance],
    # `before` is an opaque cursor taken from a `next` link: any other string is a 400 naming it
    # by design (tests/api/test_history_paging.py), and a schema cannot describe "from a link".
    ("GET", "/api/v1/cases/{id}/history/"): [positive_data_acceptance],
}

# DRF's messages for input that does not match the documented shape. A positive (schema-valid)
# request must never get one of these: that would mean the schema promised what the server
# refuses (as the PUT of a participation did, requiring the read-only `organisation`).
SCHEMA_LEVEL_MESSAGES = re.compile(
    r"This field is required|This field may not be (null|blank)|Not a valid string"
    r"|A valid (integer|number) is required|Must be a valid boolean|is not a valid choice"
    r"|Ensure this (field|value) has|Ensure this value is (greater|less) than"
    r"|wrong format|Expected a (list|dictionary)|Incorrect type|A whole number from"
)


@dataclass
class Persona:
    """Who runs the schema, with the ids of real objects generated ids are pointed at."""

    name: str
    headers: dict[str, str]
    ids: dict[str, int] = field(default_factory=dict)  # by resource or "resource/action/"
    body: dict[str, Any] = field(default_factory=dict)  # reference fields in request bodies


@pytest.fixture
def in_process_requests(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Keep the test's database connection open across requests, as Django's test client does.

    Django closes connections when a request finishes (CONN_MAX_AGE=0); on PostgreSQL that would
    end the test's transaction under Schemathesis's own WSGI client.

    One persona's run is one test that sends every operation's `ignored_auth` probes (invalid
    bearer tokens) from one address, far past the bad-token limit; its 429 is right, but would
    hide the 401 the check looks for. The throttle itself is tested in test_hardening.py.
    """
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "bad_tokens": "100000/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _token(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _token, secret = api_token_create(user=user, name="schemathesis")
    return {"Authorization": f"Bearer {secret}"}


def _invite(demo, case, organisation, accept_as=None):  # type: ignore[no-untyped-def]
    participation = services.participation_invite(
        actor=demo.anna, case=case, organisation=organisation, role=ParticipationRole.PARTNER
    )
    if accept_as is not None:
        participation = services.participation_accept(actor=accept_as, participation=participation)
    return participation


def _dead_delivery(demo, case, organisation, user) -> WebhookDelivery:  # type: ignore[no-untyped-def]
    """An endpoint of the organisation and one dead delivery to replay (never sent: no commit),
    about a case the organisation takes part in (a replay re-checks that at send time)."""
    endpoint = WebhookEndpoint.objects.create(
        organisation=organisation,
        url="https://hooks.example.org/samverkan",
        secret="s" * 40,
        created_by=user,
    )
    event = Event.objects.filter(case=case).first()
    return WebhookDelivery.objects.create(
        event=event, endpoint=endpoint, state=DeliveryState.DEAD, attempts=7
    )


def _meeting_ids() -> dict[str, int]:
    """The demo's coming meeting, its proposed item, and minutes of a past meeting."""
    from meetings.demo import COMING_MEETING_TITLE
    from meetings.models import Meeting, MinutesVersion

    coming = Meeting.objects.get(title=COMING_MEETING_TITLE)
    return {
        "meetings": coming.pk,
        "agenda-items": coming.items.first().pk,
        "minutes": MinutesVersion.objects.first().pk,
    }


def _lesson_ids() -> dict[str, int]:
    """A lesson of the demo's closed Malmö case, and the case in evaluation that awaits one."""
    from cases.models import Case

    closed = Case.objects.get(title="Trygga unga i Malmö")
    return {
        "lessons": closed.lessons.first().pk,
        "cases/lessons/": Case.objects.get(title="Samordnat stöd till äldre i Malmö").pk,
    }


def _submitted_measurement(case) -> int:  # type: ignore[no-untyped-def]
    """A value waiting for review, so approve, return, correct and withdraw have one to act on."""
    return Measurement.objects.filter(outcome__case=case, review_state="submitted").first().pk


@pytest.fixture
def committee(demo, in_process_requests) -> Persona:
    """anna, who also administers three organisations: invitations to answer, webhooks."""
    skane, malmo, kiruna = demo.orgs.region_skane, demo.orgs.malmo, demo.orgs.kiruna
    for organisation in (skane, malmo, kiruna):
        membership_set(user=demo.anna, organisation=organisation, role=MembershipRole.ADMIN)
    spare, _secret = api_token_create(user=demo.anna, name="to be revoked")
    delivery = _dead_delivery(demo, demo.care, skane, demo.anna)
    youth = demo.youth
    return Persona(
        name="committee",
        headers=_token(demo.anna),
        ids={
            "cases": youth.pk,
            "participations": youth.participations.get(organisation=demo.orgs.police).pk,
            "participations/accept/": _invite(demo, youth, skane).pk,
            "participations/decline/": _invite(demo, youth, malmo).pk,
            "participations/withdraw/": _invite(demo, youth, kiruna, demo.anna).pk,
            "actions": demo.actions.picture.pk,
            "outcomes": Outcome.objects.filter(case=youth).first().pk,
            "measurements": _submitted_measurement(youth),
            "organisations": demo.orgs.police.pk,
            "tokens": spare.pk,
            "webhook-endpoints": delivery.endpoint_id,
            "webhook-deliveries": delivery.pk,
            "experiences": Experience.objects.filter(case=demo.public).order_by("pk").last().pk,
            **_meeting_ids(),
            **_lesson_ids(),
        },
        body={
            "case": youth.pk,
            "organisation": kiruna.pk,
            "lead_organisation": demo.orgs.sodertalje.pk,
            "contact_person": demo.anna.pk,
            "assignee": demo.sara.pk,
            "coordinator": demo.carl.pk,
            "theme": "youth-crime",
            "url": "https://hooks.example.org/samverkan/v2",
            "measured_on": date.today().isoformat(),
        },
    )


@pytest.fixture
def partner(demo, in_process_requests) -> Persona:
    """sara, admin of Södertälje kommun (lead in the youth case), invited to two more cases."""
    sodertalje = demo.orgs.sodertalje
    spare, _secret = api_token_create(user=demo.sara, name="to be revoked")
    delivery = _dead_delivery(demo, demo.youth, sodertalje, demo.sara)
    youth = demo.youth
    return Persona(
        name="partner",
        headers=_token(demo.sara),
        ids={
            "cases": youth.pk,
            "participations": youth.participations.get(organisation=sodertalje).pk,
            "participations/accept/": _invite(demo, demo.care, sodertalje).pk,
            "participations/decline/": _invite(demo, demo.public, sodertalje).pk,
            "actions": demo.actions.picture.pk,
            "outcomes": Outcome.objects.filter(case=youth).first().pk,
            "measurements": _submitted_measurement(youth),
            "organisations": sodertalje.pk,
            "tokens": spare.pk,
            "webhook-endpoints": delivery.endpoint_id,
            "webhook-deliveries": delivery.pk,
        },
        body={
            "case": youth.pk,
            "organisation": sodertalje.pk,
            "lead_organisation": sodertalje.pk,
            "contact_person": demo.sara.pk,
            "assignee": demo.sara.pk,
            "theme": "youth-crime",
            "measured_on": date.today().isoformat(),
        },
    )


@pytest.fixture
def outsider(demo, in_process_requests) -> Persona:
    """eve, of Kiruna kommun: every generated id points at the restricted youth case's objects."""
    youth = demo.youth
    return Persona(
        name="outsider",
        headers=_token(demo.eve),
        ids={
            "cases": youth.pk,
            "participations": youth.participations.get(organisation=demo.orgs.police).pk,
            "actions": demo.actions.picture.pk,
            "outcomes": Outcome.objects.filter(case=youth).first().pk,
            "measurements": _submitted_measurement(youth),
            "organisations": demo.orgs.kiruna.pk,
        },
        body={"case": youth.pk, "organisation": demo.orgs.kiruna.pk, "theme": "youth-crime"},
    )


def _positive(case) -> bool:  # type: ignore[no-untyped-def]
    return case.meta is not None and case.meta.generation.mode.is_positive


def _point_at_real_objects(case, persona: Persona) -> None:  # type: ignore[no-untyped-def]
    """Schema-valid requests, and two in three others, name a real object of the resource."""
    match = RESOURCE.match(case.path)
    current = (case.path_parameters or {}).get("id")
    # Ids of viewsets are documented as digit strings (their lookup pattern), others as integers.
    number = int(current) if isinstance(current, str) and current.isdigit() else current
    if not (match and isinstance(number, int) and (number % 3 or _positive(case))):
        return
    resource, action = match.group(1), (match.group(2) or "/")
    key = f"{resource}{action}" if f"{resource}{action}" in persona.ids else resource
    if key in persona.ids:
        real = persona.ids[key]
        case.path_parameters["id"] = str(real) if isinstance(current, str) else real


def _point_at_the_youth_case(case) -> None:  # type: ignore[no-untyped-def]
    """Schema-valid requests to paths that name a case by its reference (`/cases/{reference}/…`)
    name the restricted youth case (the others keep theirs, which name no case: 404)."""
    current = (case.path_parameters or {}).get("reference")
    if current is None or not _positive(case):
        return
    youth = Case.objects.filter(title__startswith="Unga i kriminalitet").first()
    if youth is not None:
        case.path_parameters["reference"] = youth.reference


def _fill_in_references(case, persona: Persona) -> None:  # type: ignore[no-untyped-def]
    """In schema-valid bodies, references and URLs name real objects and a public address."""
    if not (_positive(case) and isinstance(case.body, dict)):
        return
    for name, value in persona.body.items():
        if name in case.body:
            case.body[name] = value


def _schema_valid_writes_are_not_refused_as_malformed(ctx, response, case) -> None:  # type: ignore[no-untyped-def]
    """A schema-valid write may break a domain rule (400), never a rule of the schema's own."""
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    if positive and response.status_code == 400 and case.method.upper() != "GET":
        text = response.content.decode(errors="replace")
        if SCHEMA_LEVEL_MESSAGES.search(text):
            raise AssertionError(f"Schema-valid data refused as malformed: {text[:500]}")


def _check(case, persona: Persona) -> None:  # type: ignore[no-untyped-def]
    _point_at_real_objects(case, persona)
    _point_at_the_youth_case(case)
    _fill_in_references(case, persona)
    excluded = [*EXCLUDED, *ELSEWHERE.get((case.method.upper(), case.path), [])]
    if case.method.upper() != "GET":
        excluded.append(positive_data_acceptance)
    response = case.call(headers=persona.headers)
    ANSWERS[(persona.name, case.method.upper(), case.path)].add(response.status_code)
    case.validate_response(
        response,
        headers=persona.headers,
        excluded_checks=excluded,
        additional_checks=[_schema_valid_writes_are_not_refused_as_malformed],
        transport_kwargs={"headers": dict(persona.headers)},
    )


# Few examples per operation: the module must stay within about four minutes in CI (three
# personas × 56 operations, each request also probed without credentials and with bad data).
def _settings(examples: int):  # type: ignore[no-untyped-def]
    return settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


@pytest.mark.schemathesis
@schema.parametrize()
@_settings(8)
def test_api_answers_as_documented_as_a_committee_member(case, committee) -> None:
    _check(case, committee)


@pytest.mark.schemathesis
@schema.parametrize()
@_settings(5)
def test_api_answers_as_documented_as_a_partner_organisation_admin(case, partner) -> None:
    _check(case, partner)


@pytest.mark.schemathesis
@schema.parametrize()
@_settings(4)
def test_api_answers_as_documented_as_an_outsider(case, outsider) -> None:
    _check(case, outsider)


# The runs above must have reached the success paths, not only 400s and 404s.
SUCCESS_PATHS = {
    "committee": [
        ("POST", "/api/v1/participations/{id}/accept/"),
        ("POST", "/api/v1/participations/{id}/decline/"),
        ("POST", "/api/v1/participations/{id}/withdraw/"),
        ("PUT", "/api/v1/participations/{id}/"),
        ("POST", "/api/v1/outcomes/{id}/measurements/"),
        ("POST", "/api/v1/webhook-deliveries/{id}/replay/"),
        ("PATCH", "/api/v1/webhook-endpoints/{id}/"),
        ("POST", "/api/v1/cases/"),
        ("POST", "/api/v1/cases/{id}/lessons/"),
        ("PATCH", "/api/v1/lessons/{id}/"),
    ],
    "partner": [
        ("POST", "/api/v1/participations/{id}/accept/"),
        ("POST", "/api/v1/participations/{id}/decline/"),
        ("POST", "/api/v1/outcomes/{id}/measurements/"),
        ("POST", "/api/v1/webhook-deliveries/{id}/replay/"),
    ],
}


@pytest.mark.schemathesis
@pytest.mark.parametrize("persona", list(SUCCESS_PATHS))
def test_the_runs_reached_the_success_paths(persona: str) -> None:
    """Runs after the generated tests of this module (pytest keeps the file's order), in their
    process (pytest-xdist: ONE_WORKER in tests/conftest.py)."""
    if not any(key[0] == persona for key in ANSWERS):
        pytest.skip(f"the {persona} run was not part of this session (-k)")
    ran = {(method, path) for who, method, path in ANSWERS if who == persona}
    elsewhere = [op for op in SUCCESS_PATHS[persona] if op not in ran]
    need(
        not elsewhere,
        f"the {persona} run of {elsewhere} was not in this process: deselected, or sent to "
        "another pytest-xdist worker (see ONE_WORKER in tests/conftest.py)",
    )
    missed = [
        (method, path)
        for method, path in SUCCESS_PATHS[persona]
        if not any(200 <= code < 300 for code in ANSWERS[(persona, method, path)])
    ]
    assert not missed, {op: sorted(ANSWERS[(persona, *op)]) for op in missed}
