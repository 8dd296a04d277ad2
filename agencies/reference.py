"""Loads the shipped Swedish reference data: municipalities, regions and state agencies.

The CSV files in `agencies/data/` are CC0 data; see `agencies/data/SOURCES.md`.
Each row has a stable `reference_key`, so loading again updates rows instead of duplicating them;
a row loaded before keys existed (or entered by hand) is found by its code and updated in place.
Names come from the data, never built by rule: "Lund kommun" and "Falun kommun" were wrong.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .choices import OrganisationKind
from .models import Organisation

DATA_DIR = Path(__file__).resolve().parent / "data"
GOTLAND_MUNICIPALITY_CODE = "0980"
# The regions' own names (counties.csv has only the county's): several are not "Region <short
# name>" (Region Sörmland, Region Jönköpings län, Västra Götalandsregionen, …).
REGION_NAMES = {
    "01": "Region Stockholm",
    "03": "Region Uppsala",
    "04": "Region Sörmland",
    "05": "Region Östergötland",
    "06": "Region Jönköpings län",
    "07": "Region Kronoberg",
    "08": "Region Kalmar län",
    "10": "Region Blekinge",
    "12": "Region Skåne",
    "13": "Region Halland",
    "14": "Västra Götalandsregionen",
    "17": "Region Värmland",
    "18": "Region Örebro län",
    "19": "Region Västmanland",
    "20": "Region Dalarna",
    "21": "Region Gävleborg",
    "22": "Region Västernorrland",
    "23": "Region Jämtland Härjedalen",
    "24": "Region Västerbotten",
    "25": "Region Norrbotten",
}


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0


def _rows(filename: str) -> list[dict[str, str]]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _upsert(
    key: str, fields: dict[str, object], result: LoadResult, same: dict[str, object]
) -> None:
    """Update the row with `key`, else the one matching `same` (its code), else create one."""
    organisation = Organisation.objects.filter(reference_key=key).first()
    if organisation is None:
        organisation = Organisation.objects.filter(reference_key=None, **same).first()
        if organisation is not None:
            organisation.reference_key = key
    if organisation is None:
        organisation = Organisation(reference_key=key)
        result.created += 1
    else:
        result.updated += 1
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()


def _municipality_fields(row: dict[str, str]) -> dict[str, object]:
    code = row["municipality_code"]
    return {
        "kind": OrganisationKind.MUNICIPALITY,
        # The name people know (Stockholms stad); the legal one (Stockholms kommun) stays findable.
        "name": row["common_name"] or row["legal_name"],
        "legal_name": row["legal_name"],
        "short_name": row["name"],
        "municipality_code": code,
        "region_code": row["county_code"],
        "has_regional_duties": code == GOTLAND_MUNICIPALITY_CODE,
    }


def _region_fields(row: dict[str, str]) -> dict[str, object]:
    code = row["county_code"]
    return {
        "kind": OrganisationKind.REGION,
        "name": REGION_NAMES[code],
        "short_name": row["county_name_short"],
        "region_code": code,
    }


def _agency_fields(row: dict[str, str]) -> dict[str, object]:
    return {
        "kind": OrganisationKind.STATE_AGENCY,
        "name": row["name"],
        "short_name": row["short_name"],
        "name_en": row["name_en"],
        "organisation_number": row["organisation_number"],
        "ministry": row["department"],
    }


@transaction.atomic
def load_reference_data() -> dict[str, LoadResult]:
    """Create or update every reference organisation; returns counts per kind."""
    results = {"municipalities": LoadResult(), "regions": LoadResult(), "agencies": LoadResult()}
    for row in _rows("municipalities.csv"):
        code = row["municipality_code"]
        same = {"kind": OrganisationKind.MUNICIPALITY, "municipality_code": code}
        _upsert(f"municipality:{code}", _municipality_fields(row), results["municipalities"], same)
    for row in _rows("counties.csv"):
        code = row["county_code"]
        if code == "09":
            continue  # Gotland's regional duties lie with its municipality, loaded above.
        same = {"kind": OrganisationKind.REGION, "region_code": code}
        _upsert(f"region:{code}", _region_fields(row), results["regions"], same)
    for row in _rows("state_agencies.csv"):
        number = row["organisation_number"]
        same = {"organisation_number": number}
        _upsert(f"agency:{number}", _agency_fields(row), results["agencies"], same)
    return results
