from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from agencies.choices import OrganisationKind
from agencies.models import Organisation
from agencies.reference import load_reference_data


class Command(BaseCommand):
    help = "Load or update the shipped municipalities, regions and state agencies."

    def handle(self, *args: Any, **options: Any) -> None:
        results = load_reference_data()
        for name, result in results.items():
            self.stdout.write(f"{name}: {result.created} created, {result.updated} updated")
        loaded = Organisation.objects.exclude(reference_key=None)
        municipalities = loaded.filter(kind=OrganisationKind.MUNICIPALITY).count()
        regions = loaded.filter(kind=OrganisationKind.REGION).count()
        agencies = loaded.filter(kind=OrganisationKind.STATE_AGENCY).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Reference data: {municipalities} municipalities, "
                f"{loaded.regional_authorities().count()} regional authorities ({regions} regions "
                "+ Region Gotland, a municipality with regional duties), "
                f"{agencies} state agencies."
            )
        )
