from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from agencies.choices import OrganisationKind
from agencies.models import Organisation
from agencies.services import organisation_create


def _counts() -> tuple[int, int, int, int]:
    loaded = Organisation.objects.exclude(reference_key=None)
    return (
        loaded.filter(kind=OrganisationKind.MUNICIPALITY).count(),
        loaded.regional_authorities().count(),
        loaded.filter(kind=OrganisationKind.STATE_AGENCY).count(),
        loaded.count(),
    )


@pytest.mark.django_db
def test_loading_twice_updates_and_never_duplicates(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_reference_data")
    call_command("load_reference_data")
    assert _counts() == (290, 21, 209, 290 + 20 + 209)
    assert "290 municipalities, 21 regional authorities" in capsys.readouterr().out


@pytest.mark.django_db
def test_loading_repairs_a_changed_reference_row() -> None:
    Organisation.objects.filter(reference_key="municipality:0181").update(name="Fel namn")
    call_command("load_reference_data", verbosity=0)
    assert Organisation.objects.get(reference_key="municipality:0181").name == "Södertälje kommun"


@pytest.mark.django_db
def test_gotland_is_a_municipality_with_regional_duties() -> None:
    gotland = Organisation.objects.get(municipality_code="0980")
    assert gotland.name == "Region Gotland"
    assert gotland.kind == OrganisationKind.MUNICIPALITY
    assert gotland.has_regional_duties
    assert not Organisation.objects.filter(kind=OrganisationKind.REGION, region_code="09").exists()


@pytest.mark.django_db
def test_display_names_are_built_correctly() -> None:
    assert Organisation.objects.get(municipality_code="0880").name == "Kalmar kommun"
    assert (
        Organisation.objects.get(kind="region", region_code="14").name == "Västra Götalandsregionen"
    )
    assert Organisation.objects.get(kind="region", region_code="12").name == "Region Skåne"


@pytest.mark.django_db
def test_creating_an_organisation_with_a_personnummer_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        organisation_create(
            name="Enskild firma", kind=OrganisationKind.OTHER, organisation_number="850709-9805"
        )
    assert "organisation_number" in error.value.message_dict
    assert not Organisation.objects.filter(name="Enskild firma").exists()


@pytest.mark.django_db
def test_a_municipality_needs_its_codes() -> None:
    with pytest.raises(ValidationError) as error:
        organisation_create(name="Ny kommun", kind=OrganisationKind.MUNICIPALITY)
    assert {"municipality_code", "region_code"} <= set(error.value.message_dict)


@pytest.mark.django_db
def test_organisation_number_is_unique() -> None:
    with pytest.raises(ValidationError) as error:
        organisation_create(
            name="Kopia", kind=OrganisationKind.OTHER, organisation_number="2021000076"
        )
    assert "organisation_number" in error.value.message_dict
