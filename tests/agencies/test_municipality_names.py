"""Municipalities carry the names they use, from the data; never a name built by rule."""

from __future__ import annotations

import csv

import pytest
from django.core.management import call_command

from agencies.choices import OrganisationKind
from agencies.models import Organisation
from agencies.reference import DATA_DIR
from agencies.search import organisation_search

pytestmark = pytest.mark.django_db


def _municipality(code: str) -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.MUNICIPALITY, municipality_code=code)


def _rows() -> list[dict[str, str]]:
    with (DATA_DIR / "municipalities.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("1281", "Lunds kommun"),
        ("2080", "Falu kommun"),
        ("0880", "Kalmar kommun"),
        ("0180", "Stockholms stad"),
        ("1480", "Göteborgs Stad"),
        ("1280", "Malmö stad"),
        ("0980", "Region Gotland"),
    ],
)
def test_municipality_shows_the_name_people_know_it_by(code: str, name: str) -> None:
    assert _municipality(code).name == name


def test_stockholms_legal_name_is_kept_and_finds_stockholms_stad() -> None:
    stockholm = _municipality("0180")
    assert stockholm.legal_name == "Stockholms kommun"
    found = organisation_search(Organisation.objects.all(), "Stockholms kommun")
    assert list(found[:1]) == [stockholm]


def test_no_municipality_is_named_short_name_plus_kommun_where_that_is_wrong() -> None:
    wrong = {
        f"{row['name']} kommun" for row in _rows() if row["legal_name"] != f"{row['name']} kommun"
    }
    assert "Lund kommun" in wrong and "Falun kommun" in wrong  # the check can fail
    named_wrongly = Organisation.objects.filter(name__in=wrong).values_list("name", flat=True)
    assert not list(named_wrongly)


def test_every_municipality_has_its_legal_or_common_name_from_the_data() -> None:
    expected = {row["municipality_code"]: row["common_name"] for row in _rows()}
    actual = dict(
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
        .exclude(reference_key=None)
        .values_list("municipality_code", "name")
    )
    assert actual == expected


def test_regions_have_their_own_names() -> None:
    names = dict(
        Organisation.objects.filter(kind=OrganisationKind.REGION).values_list("region_code", "name")
    )
    assert names["06"] == "Region Jönköpings län"
    assert names["18"] == "Region Örebro län"
    assert names["14"] == "Västra Götalandsregionen"
    assert names["01"] == "Region Stockholm"


def test_reloading_renames_old_rows_in_place_and_keeps_every_id() -> None:
    lund = _municipality("1281")
    # An older installation: the wrong built name, and Falun entered before keys existed.
    Organisation.objects.filter(pk=lund.pk).update(name="Lund kommun", legal_name="")
    Organisation.objects.filter(municipality_code="2080").update(
        name="Falun kommun", reference_key=None
    )
    ids_before = set(Organisation.objects.values_list("pk", flat=True))
    call_command("load_reference_data", verbosity=0)
    assert set(Organisation.objects.values_list("pk", flat=True)) == ids_before
    assert Organisation.objects.get(pk=lund.pk).name == "Lunds kommun"
    falun = _municipality("2080")
    assert (falun.name, falun.reference_key) == ("Falu kommun", "municipality:2080")
    assert Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).count() == 290
