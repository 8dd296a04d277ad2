"""Demo files: a routine with two versions on Carl's school-absence case, and figures on its
mapping action. Built through the services, like everything the demo shows."""

from __future__ import annotations

from django.core.files.base import ContentFile

from cases.models import Action, Case

from . import services

# A minimal, valid one-page PDF.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
DEMO_CSV = "skola;elever med hög frånvaro\nRonnaskolan;14\nWasaskolan;9\n".encode()


def demo_attachments(users: dict, orgs: dict) -> None:
    case = Case.objects.get(title="Långvarig skolfrånvaro i Södertälje")
    carl, rita = users["carl"], users["rita"]
    routine = services.attachment_add(
        actor=carl,
        owner=case,
        title="Närvarorutin för skolor och vård",
        file=ContentFile(DEMO_PDF, name="narvarorutin-utkast.pdf"),
    )
    services.attachment_replace(
        actor=carl,
        attachment=routine,
        file=ContentFile(DEMO_PDF.replace(b"595", b"596"), name="narvarorutin-v2.pdf"),
    )
    action = Action.objects.filter(case=case, title__startswith="Kartläggning").first()
    if action is not None:
        services.attachment_add(
            actor=rita,
            owner=action,
            title="Frånvaro per skola, hösten",
            file=ContentFile(DEMO_CSV, name="franvaro-per-skola.csv"),
        )
