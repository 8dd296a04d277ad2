"""The datasets as JSON pages and CSV files: valid against their schemas, paged, streamed,
public cases only, no person named."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import jsonschema
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from cases import services
from cases.choices import ParticipationRole, Visibility
from cases.models import Action, Case
from opendata import views
from opendata.datasets import DATASETS
from tests.opendata.conftest import UNAPPROVED_VALUE

SLUGS = list(DATASETS)


def _json_pages(client: Client, slug: str) -> list[dict]:
    pages, url = [], f"/data/{slug}.json"
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        pages.append(response.json())
        url = pages[-1]["next"]
    return pages


def _csv_rows(client: Client, slug: str) -> list[dict[str, str]]:
    response = client.get(f"/data/{slug}.csv")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv; charset=utf-8")
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _every_open_data_response(client: Client) -> str:
    texts = [client.get("/data/").content.decode()]
    for slug in SLUGS:
        texts.append(client.get(f"/data/{slug}.json").content.decode())
        texts.append(b"".join(client.get(f"/data/{slug}.csv").streaming_content).decode())
        texts.append(client.get(f"/data/schema/{slug}.json").content.decode())
    texts.append(client.get("/data/catalog.jsonld").content.decode())
    texts.append(client.get("/data/changes.atom").content.decode())
    return "\n".join(texts)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_json_page_validates_against_its_published_schema(open_world, client, slug) -> None:
    schema_response = client.get(f"/data/schema/{slug}.json")
    assert schema_response["Content-Type"].startswith("application/schema+json")
    schema = schema_response.json()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    page = client.get(f"/data/{slug}.json").json()
    assert page["results"], f"{slug} has rows in the open-data world"
    assert page["schema"] == schema["$id"] == f"http://testserver/data/schema/{slug}.json"
    validator.validate(page)


def test_a_row_that_breaks_the_schema_is_refused_by_it(open_world, client) -> None:
    schema = client.get("/data/schema/cases.json").json()
    page = client.get("/data/cases.json").json()
    page["results"][0]["coordinator"] = "Anna Andersson"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(page, schema)


def test_no_persons_name_appears_in_any_open_data_response(open_world, client) -> None:
    text = _every_open_data_response(client)
    for user in get_user_model().objects.all():
        for word in {user.first_name, user.last_name, user.username} - {""}:
            found = re.search(rf"\b{re.escape(word)}\b", text, flags=re.IGNORECASE)
            assert found is None, f"{word!r} appears in open data"
    assert "Rapporterad av Gustav" not in text  # a reporter's note may name people


def test_restricted_cases_and_their_contents_are_absent(open_world, client) -> None:
    text = _every_open_data_response(client)
    restricted = Case.objects.filter(visibility=Visibility.RESTRICTED)
    assert restricted.exists()
    for case in restricted:
        assert case.reference not in text
        assert case.title not in text
        for action in case.actions.all():
            assert action.title not in text
        for outcome in case.outcomes.all():
            assert outcome.title not in text
    assert open_world.public.reference in text


def test_a_case_made_restricted_leaves_the_open_data(open_world, client) -> None:
    case = open_world.public
    services.case_update(
        actor=open_world.anna,
        case=case,
        data={"visibility": Visibility.RESTRICTED},
        reason="Känsliga uppgifter.",
    )
    text = _every_open_data_response(client)
    assert case.reference not in text
    assert open_world.action.title.lstrip("=") not in text
    assert client.get("/data/cases.json").json()["results"] == []


def test_only_approved_measurements_are_published(open_world, client) -> None:
    rows = client.get("/data/measurements.json").json()["results"]
    assert [row["value"] for row in rows] == ["21.50"]
    assert rows[0]["outcome"] == "Färre äldre som känner sig ensamma"
    assert rows[0]["reporting_organisation"] == "Region Gotland"
    assert str(UNAPPROVED_VALUE) not in _every_open_data_response(client)


def test_participations_name_organisations_and_roles_not_contact_persons(
    open_world, client
) -> None:
    rows = client.get("/data/participations.json").json()["results"]
    assert {(r["organisation"], r["role"]) for r in rows} == {
        ("Region Gotland", "lead"),
        ("Fryshuset", "partner"),
    }
    assert all("contact" not in key for row in rows for key in row)


def test_csv_holds_the_same_rows_as_the_json(open_world, client) -> None:
    for slug in SLUGS:
        rows = _csv_rows(client, slug)
        results = client.get(f"/data/{slug}.json").json()["results"]
        assert len(rows) == len(results), slug
        assert list(rows[0]) == list(results[0]), slug


def test_csv_quotes_a_text_that_a_spreadsheet_would_run_as_a_formula(open_world, client) -> None:
    (row,) = [r for r in _csv_rows(client, "actions") if "Visby" in r["title"]]
    assert row["title"] == "'=Träffar i Visby"
    assert row["contributing_organisations"] == "Fryshuset"
    titles = [r["title"] for r in client.get("/data/actions.json").json()["results"]]
    assert "=Träffar i Visby" in titles


def _more_public_cases(world: SimpleNamespace, count: int) -> None:
    for number in range(count):
        services.case_create(
            actor=world.anna,
            title=f"Öppet ärende {number}",
            summary="Ett offentligt ärende.",
            theme=world.public.theme,
            scope_areas=[world.orgs.kiruna],
            visibility=Visibility.PUBLIC,
            coordinator=world.anna,
        )


def test_json_pages_link_to_the_next_until_every_public_case_is_read(
    open_world, client, monkeypatch
) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    _more_public_cases(open_world, 4)
    pages = _json_pages(client, "cases")
    assert [len(page["results"]) for page in pages] == [2, 2, 1]
    references = [row["reference"] for page in pages for row in page["results"]]
    expected = Case.objects.filter(visibility=Visibility.PUBLIC).order_by("pk")
    assert references == [case.reference for case in expected]
    assert pages[-1]["next"] is None
    first = client.get("/data/cases.json")
    assert first["Link"] == f'<{first.json()["next"]}>; rel="next"'


def test_csv_reads_every_row_chunk_by_chunk(open_world, client, monkeypatch) -> None:
    monkeypatch.setattr(views, "CSV_CHUNK", 2)
    _more_public_cases(open_world, 4)
    rows = _csv_rows(client, "cases")
    assert len(rows) == Case.objects.filter(visibility=Visibility.PUBLIC).count() == 5


def _more_data(world: SimpleNamespace) -> None:
    """More of every dataset: cases with a participant, actions with contributors, figures."""
    _more_public_cases(world, 3)
    gotland = world.public.participations.get(role="lead").organisation
    for case in Case.objects.filter(title__startswith="Öppet ärende"):
        invitation = services.participation_invite(
            actor=world.anna, case=case, organisation=gotland, role=ParticipationRole.LEAD
        )
        services.participation_accept(actor=world.gustav, participation=invitation)
    for number in range(4):
        services.action_create(
            actor=world.anna,
            case=world.public,
            title=f"Samtal {number}",
            lead_organisation=gotland,
            contributors=[world.orgs.fryshuset],
        )
        services.measurement_report(
            actor=world.anna,
            outcome=world.outcome,
            organisation=gotland,
            value=Decimal("20.00") - number,
            measured_on=timezone.localdate() - timedelta(days=40 + number),
        )


@pytest.mark.parametrize("slug", SLUGS)
def test_a_json_page_costs_the_same_queries_with_more_data(
    open_world, client, django_assert_num_queries, slug
) -> None:
    expected = {"cases": 2, "participations": 1, "actions": 2, "measurements": 1}[slug]
    with django_assert_num_queries(expected):
        before = client.get(f"/data/{slug}.json").json()["results"]
    _more_data(open_world)
    with django_assert_num_queries(expected):
        after = client.get(f"/data/{slug}.json").json()["results"]
    assert len(after) >= len(before) + 3


@pytest.mark.parametrize(
    ("slug", "after"),
    [
        ("cases", "-1"),
        ("cases", "x"),
        ("cases", "1.5"),
        ("cases", "99999999999999999999999"),
        ("cases", "١"),
        ("cases", "1-2"),
        ("actions", "3"),
        ("actions", "1-2-3"),
        ("actions", "1-"),
        ("measurements", "1-99999999999999999999999"),
    ],
)
def test_a_bad_page_key_is_a_400_naming_the_parameter(open_world, client, slug, after) -> None:
    response = client.get(f"/data/{slug}.json", {"after": after})
    assert response.status_code == 400
    assert list(response.json()) == ["after"]


def test_action_pages_run_case_by_case_without_losing_or_repeating_a_row(
    open_world, client, monkeypatch
) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    _more_data(open_world)
    pages = _json_pages(client, "actions")
    ids = [row["id"] for page in pages for row in page["results"]]
    public = Action.objects.filter(case__visibility=Visibility.PUBLIC)
    assert len(pages) > 2
    assert ids == list(public.order_by("case_id", "pk").values_list("pk", flat=True))
    assert "?after=" in pages[0]["next"] and "-" in pages[0]["next"].split("after=")[1]


def test_an_unknown_dataset_is_not_found(open_world, client) -> None:
    assert client.get("/data/people.json").status_code == 404
    assert client.get("/data/people.csv").status_code == 404
    assert client.get("/data/schema/people.json").status_code == 404
