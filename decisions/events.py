"""How decision events travel through the notification pipeline: who hears of them, what their
line says and where it points (registered in `DecisionsConfig.ready()`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from cases.choices import ParticipationState
from cases.models import Participation
from notifications.messages import SHORT_TEXT, Kind, Payload
from notifications.models import Event


def _short(text: object) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= SHORT_TEXT else text[: SHORT_TEXT - 1].rstrip() + "…"


def decision_recipients(event: Event) -> set[int]:
    """The contact persons of the case's participating organisations (the coordinator and the
    case's followers hear of it anyway): a decision on a case concerns everyone in it."""
    contacts = Participation.objects.filter(
        case_id=event.case_id, state=ParticipationState.ACTIVE, contact_person__isnull=False
    ).values_list("contact_person_id", flat=True)
    return set(contacts)


def decision_path(event: Event) -> str:
    """The decision's page (a decision.revoked event points at the revoked decision)."""
    year, _sep, number = str((event.payload or {}).get("reference", "")).partition(":")
    if year.isdigit() and number.isdigit():
        return reverse("decision_detail", kwargs={"year": int(year), "number": int(number)})
    return reverse("decision_list")


def _taken(event: Event, p: Payload) -> str:
    values = {"reference": p.get("reference", ""), "text": _short(p.get("text"))}
    if p.get("revokes"):
        return _("Decision %(reference)s revokes %(revokes)s: %(text)s") % {
            **values,
            "revokes": p["revokes"],
        }
    return _("Decision %(reference)s: %(text)s") % values


def _revoked(event: Event, p: Payload) -> str:
    return _("Decision %(reference)s was revoked by decision %(revoked_by)s") % {
        "reference": p.get("reference", ""),
        "revoked_by": p.get("revoked_by", ""),
    }


TAKEN = Kind(_taken)
REVOKED = Kind(_revoked)
