"""Citizens' experiences in the demo: the public Gotland case has two published and one waiting
for its coordinator's moderation."""

from __future__ import annotations

from cases.models import Case

from . import services
from .choices import ExperienceKind


def experiences_demo(users: dict, orgs: dict) -> None:
    case = Case.objects.get(title__startswith="Ofrivillig ensamhet")
    coordinator = users["anna"]
    published = [
        (
            ExperienceKind.EXPERIENCE,
            "Sedan min man dog har jag knappt pratat med någon på veckorna. Träffpunkten i "
            "Hemse med fika på torsdagar blev det jag ser fram emot.",
        ),
        (
            ExperienceKind.SUGGESTION,
            "Låt bussen till Visby stanna vid mötesplatserna på tisdagar, så kommer fler "
            "som inte kör bil längre.",
        ),
    ]
    for kind, text in published:
        experience = services.experience_submit(case=case, kind=kind, text=text)
        services.experience_publish(actor=coordinator, experience=experience)
    services.experience_submit(
        case=case,
        kind=ExperienceKind.SUGGESTION,
        text="Fråga kyrkans besöksgrupp om de kan ta med sig hemtjänstens kunder till träffarna.",
        contact_email="besoksgruppen@example.org",
    )
