"""Erasing a person also takes their name out of prose: where someone typed "Petra Persson" or her
e-mail address into a progress report, a status reason or a mandate, the pages, the API, the
admin's history views and the webhook bodies read the neutral label afterwards, and the history
keeps every record it had."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient

from cases import services
from cases.choices import CaseStatus, ParticipationRole
from cases.models import HISTORY_TRACKERS, ActionUpdate
from notifications.models import Event
from notifications.webhooks.sending import event_body
from privacy.prose import name_pattern
from privacy.services import person_erase

from .test_erase import _admin_history_pages
from .test_public_names import _api_documents, _crawl

NAMED = [r"Petra\s+Persson", r"Persson,\s*Petra", r"\bPersson\b"]


def _found(documents: dict[str, str], extra: list[str]) -> list[tuple[str, str]]:
    """(where, the text around it) for every mention of the person."""
    words = NAMED + extra
    return [
        (path, text[max(0, match.start() - 80) : match.end() + 20])
        for path, text in documents.items()
        for word in words
        for match in re.finditer(word, text, re.I)
    ]


def _history_count() -> int:
    return sum(model.history.model.objects.count() for model in HISTORY_TRACKERS)


def _type_petras_name_into_prose(demo) -> None:  # type: ignore[no-untyped-def]
    carl = demo.carl
    services.action_update_post(
        actor=carl,
        action=demo.actions.picture,
        text=f"Agreed with Petra Persson ({demo.petra.email}) on the next step.",
    )
    participation = demo.youth.participations.get(organisation=demo.orgs.police)
    services.participation_update(
        actor=carl,
        participation=participation,
        data={"mandate": "Persson, Petra decides on patrols in Södertälje."},
    )
    services.case_transition(
        actor=carl,
        case=demo.youth,
        to_status=CaseStatus.ON_HOLD,
        reason="Waiting for PETRA PERSSON.",
    )


def test_a_name_typed_into_progress_reports_reasons_and_mandates_is_erased_too(demo) -> None:
    _type_petras_name_into_prose(demo)
    email = re.escape(demo.petra.email)
    anna = Client(HTTP_ACCEPT_LANGUAGE="en")
    anna.force_login(demo.anna)
    assert _found(_crawl(anna, f"/cases/{demo.youth.reference}/"), [email])
    history_before = _history_count()
    events_before = Event.objects.count()

    erased = person_erase(user=demo.petra)

    assert _history_count() == history_before
    assert Event.objects.count() == events_before
    pages = _crawl(anna, f"/cases/{demo.youth.reference}/")
    assert _found(pages, [email]) == []
    assert any(erased.label in html for html in pages.values())
    api = APIClient()
    api.force_authenticate(demo.anna)
    assert _found(_api_documents(api), [email]) == []
    operator = Client(HTTP_ACCEPT_LANGUAGE="en")
    operator.force_login(get_user_model().objects.get(username="admin"))
    assert _found(_admin_history_pages(operator, demo), [email]) == []
    bodies = {
        f"event {event.pk}": event_body(event).decode()
        for event in Event.objects.filter(case=demo.youth)
    }
    assert _found(bodies, [email]) == []
    update = ActionUpdate.objects.filter(action=demo.actions.picture).latest("pk")
    assert update.text == f"Agreed with {erased.label} ({erased.label}) on the next step."


def test_a_first_name_alone_and_other_people_named_alike_are_left_as_they_are() -> None:
    pattern = name_pattern("Petra", "Persson", "petra@example.org")
    text = "Petra from the school, Petra Perssonsdotter and Anna Persson met Petra  Persson."
    assert pattern is not None
    assert pattern.sub("X", text) == (
        "Petra from the school, Petra Perssonsdotter and Anna Persson met X."
    )


def test_an_invited_organisations_admin_reads_the_coordinators_role_not_their_name(demo) -> None:
    """Before answering, the invited organisation is not a participant: no names yet."""
    invitation = services.participation_invite(
        actor=demo.anna,
        case=demo.youth,
        organisation=demo.orgs.malmo,
        role=ParticipationRole.CONTRIBUTOR,
        mandate="Erfarenheter från Malmö.",
    )
    malik = Client(HTTP_ACCEPT_LANGUAGE="en")
    malik.force_login(demo.malik)
    page = malik.get(f"/invitations/{invitation.pk}/").content.decode()
    assert "Claesson" not in page
    shown = re.search(r"<dt>Coordinator</dt><dd>(.*?)</dd>", page)
    assert shown is not None and shown.group(1).startswith("Coordinator"), shown
