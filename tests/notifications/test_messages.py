"""Every notification names the thing and the change in one line, in English and in Swedish
("Polismyndigheten was invited as partner", "Active → On hold: reason"."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from notifications.choices import EventKind
from notifications.messages import KINDS, burst_message, event_message
from notifications.models import Event

MAJA = get_user_model()(username="maja", first_name="Maja", last_name="Ek")
FIGURE = {"outcome_title": "Återfall bland unga", "unit": "%", "value_kind": "percent"}

# kind, payload, English line, Swedish line
LINES = [
    (
        EventKind.CASE_CREATED,
        {"title": "Unga i Södertälje"},
        "Maja Ek registered the case “Unga i Södertälje”",
        "Maja Ek registrerade ärendet ”Unga i Södertälje”",
    ),
    (
        EventKind.CASE_UPDATED,
        {"changed": ["title", "target_date"]},
        "Maja Ek changed the case: title, target date",
        None,  # field names come from the model's Swedish labels
    ),
    (
        EventKind.CASE_STATUS_CHANGED,
        {"from": "active", "to": "on_hold", "reason": "Väntar på budget"},
        "Active → On hold: Väntar på budget",
        "Aktivt → Vilande: Väntar på budget",
    ),
    (
        EventKind.PARTICIPATION_INVITED,
        {"organisation_name": "Polismyndigheten", "role": "partner"},
        "Polismyndigheten was invited as partner",
        "Polismyndigheten bjöds in som partner",
    ),
    (
        EventKind.PARTICIPATION_ACCEPTED,
        {"organisation_name": "Polismyndigheten", "role": "lead"},
        "Polismyndigheten accepted the invitation as lead",
        "Polismyndigheten tackade ja till inbjudan som huvudansvarig",
    ),
    (
        EventKind.PARTICIPATION_DECLINED,
        {"organisation_name": "Malmö stad", "reason": "Inget mandat"},
        "Malmö stad declined the invitation: Inget mandat",
        "Malmö stad tackade nej till inbjudan: Inget mandat",
    ),
    (
        EventKind.PARTICIPATION_WITHDRAWN,
        {"organisation_name": "Fryshuset", "reason": ""},
        "Fryshuset withdrew from the case",
        "Fryshuset lämnade ärendet",
    ),
    (
        EventKind.INVITATION_WITHDRAWN,
        {"organisation_name": "Region Skåne", "reason": "The case was closed"},
        "The invitation of Region Skåne was withdrawn: The case was closed",
        "Inbjudan till Region Skåne drogs tillbaka: The case was closed",
    ),
    (
        EventKind.ACTION_CREATED,
        {"title": "Nattvandring", "lead_organisation_name": "Södertälje kommun"},
        "Action “Nattvandring” added, led by Södertälje kommun",
        "Åtgärden ”Nattvandring” lades till, med Södertälje kommun som ansvarig",
    ),
    (
        EventKind.ACTION_ASSIGNED,
        {"title": "Nattvandring", "assignee": 7, "assignee_name": "Petra Persson"},
        "Action “Nattvandring” assigned to Petra Persson",
        "Åtgärden ”Nattvandring” tilldelades Petra Persson",
    ),
    (
        EventKind.ACTION_STATUS_CHANGED,
        {"title": "Nattvandring", "from": "planned", "to": "in_progress"},
        "Action “Nattvandring”: Planned → In progress",
        "Åtgärden ”Nattvandring”: Planerad → Pågår",
    ),
    (
        EventKind.ACTION_BLOCKED,
        {"title": "Night patrols"},
        "Action “Night patrols” is now blocked",
        "Åtgärden ”Night patrols” är nu blockerad",
    ),
    (
        EventKind.ACTION_UNBLOCKED,
        {"title": "Samtal", "blocking_title": "Lägesbild"},
        "Action “Samtal” no longer waits: “Lägesbild” is done",
        "Åtgärden ”Samtal” väntar inte längre: ”Lägesbild” är klar",
    ),
    (
        EventKind.ACTION_UPDATE_POSTED,
        {"title": "Lägesbild", "text": "Klar  till\nmötet"},
        "Maja Ek on “Lägesbild”: Klar till mötet",
        "Maja Ek om ”Lägesbild”: Klar till mötet",
    ),
    (
        EventKind.ACTION_OVERDUE,
        {"title": "Lägesbild", "due_date": "2026-03-01"},
        None,  # English dates are written as in en-GB (config/formats/en)
        "Åtgärden ”Lägesbild” är försenad: den skulle vara klar 2026-03-01",
    ),
    (
        EventKind.MEASUREMENT_REPORTED,
        {**FIGURE, "outcome_title": "Youth re-offending rate", "value": "12.50"},
        "Maja Ek reported 12.5\xa0% for “Youth re-offending rate”",
        "Maja Ek rapporterade 12,5\xa0% för ”Youth re-offending rate”",
    ),
    (
        EventKind.MEASUREMENT_APPROVED,
        {**FIGURE, "value": "12.00"},
        "12\xa0% for “Återfall bland unga” approved; it counts from now on",
        "12\xa0% för ”Återfall bland unga” godkändes; värdet räknas från och med nu",
    ),
    (
        EventKind.MEASUREMENT_RETURNED,
        {**FIGURE, "value": "101.00", "comment": "Över 100?"},
        "101\xa0% for “Återfall bland unga” returned: Över 100?",
        "101\xa0% för ”Återfall bland unga” skickades tillbaka: Över 100?",
    ),
    (
        EventKind.MEASUREMENT_CORRECTED,
        {**FIGURE, "old_value": "88.50", "value": "86.00", "reason": "Dubbelräknat"},
        "Value for “Återfall bland unga” corrected: 88.5\xa0% → 86\xa0% (Dubbelräknat)",
        "Värdet för ”Återfall bland unga” rättades: 88,5\xa0% → 86\xa0% (Dubbelräknat)",
    ),
    (
        EventKind.MEASUREMENT_WITHDRAWN,
        {**FIGURE, "value": "20.00", "reason": "Fel månad"},
        "20\xa0% for “Återfall bland unga” withdrawn: Fel månad",
        "20\xa0% för ”Återfall bland unga” drogs tillbaka: Fel månad",
    ),
    (
        EventKind.OUTCOME_TARGET_REACHED,
        {**FIGURE, "value": "9.00"},
        "Target reached for “Återfall bland unga”: 9\xa0%",
        "Målvärdet för ”Återfall bland unga” är nått: 9\xa0%",
    ),
    (
        EventKind.OUTCOME_TARGET_NO_LONGER_REACHED,
        {**FIGURE, "value": "14.00"},
        "Target no longer reached for “Återfall bland unga”: now 14\xa0%",
        "Målvärdet för ”Återfall bland unga” är inte längre nått: nu 14\xa0%",
    ),
    (
        EventKind.OUTCOME_ARCHIVED,
        {"outcome_title": "Trygghet", "reason": "Ersatt"},
        "Outcome “Trygghet” archived: Ersatt",
        "Effektmålet ”Trygghet” arkiverades: Ersatt",
    ),
    (
        EventKind.OUTCOME_REMOVED,
        {"outcome_title": "Trygghet", "reason": "Dubblett"},
        "Outcome “Trygghet” removed with its unapproved values: Dubblett",
        "Effektmålet ”Trygghet” togs bort med sina ej godkända värden: Dubblett",
    ),
    (
        EventKind.DECISION_TAKEN,
        {"reference": "2026:17", "text": "Lägesbilden redovisas muntligt.", "revokes": "2026:14"},
        "Decision 2026:17 revokes 2026:14: Lägesbilden redovisas muntligt.",
        "Beslut 2026:17 upphäver 2026:14: Lägesbilden redovisas muntligt.",
    ),
    (
        EventKind.DECISION_REVOKED,
        {"reference": "2026:14", "revoked_by": "2026:17", "text": "Skriftlig lägesbild."},
        "Decision 2026:14 was revoked by decision 2026:17",
        "Beslut 2026:14 har upphävts genom beslut 2026:17",
    ),
    (
        EventKind.OBSTACLE_RECORDED,
        {"title": "Uppgifter kan inte delas", "kind": "legal", "statute": "OSL 25 kap. 1 §"},
        "Maja Ek recorded an obstacle: “Uppgifter kan inte delas” (OSL 25 kap. 1 §)",
        "Maja Ek registrerade ett hinder: ”Uppgifter kan inte delas” (OSL 25 kap. 1 §)",
    ),
    (
        EventKind.OBSTACLE_ESCALATED,
        {"kind": "financial", "statute": "", "escalated_to": "Finansdepartementet"},
        "The committee escalated the obstacle Financial to Finansdepartementet",
        "Kommittén lyfte hindret Ekonomiskt till Finansdepartementet",
    ),
    (
        EventKind.OBSTACLE_ANSWERED,
        {"statute": "OSL 25 kap. 1 §", "escalated_to": "JuD", "response": "Utreds."},
        "JuD answered on the obstacle OSL 25 kap. 1 §: Utreds.",
        "JuD svarade om hindret OSL 25 kap. 1 §: Utreds.",
    ),
    # Lines whose wording their own apps' tests pin (tests/meetings, tests/documents,
    # tests/reports): here they must read as one line in both languages.
    (
        EventKind.MEETING_AGENDA_SENT,
        {"meeting": 1, "title": "Sammanträde", "starts_at": "2026-12-10T09:00:00+00:00"},
        None,
        None,
    ),
    (
        EventKind.MEETING_MINUTES_ADJUSTED,
        {"meeting": 1, "title": "Sammanträde", "starts_at": "2026-12-10T09:00:00+00:00"},
        None,
        None,
    ),
    (EventKind.ATTACHMENT_ADDED, {"title": "Rutin", "file_name": "rutin.pdf"}, None, None),
    (EventKind.ATTACHMENT_REPLACED, {"title": "Rutin", "file_name": "rutin.pdf"}, None, None),
    (EventKind.ATTACHMENT_REMOVED, {"title": "Rutin", "file_name": "rutin.pdf"}, None, None),
    (EventKind.REPORT_READY, {"title": "Portföljrapport"}, None, None),
    (
        EventKind.TRUST_ROUND_OPENED,
        {"number": 3, "deadline": "2026-12-23T10:00:00+00:00", "organisations": [1, 2]},
        "Trust self-assessment round 3 opened: answer by 2026-12-23",
        "Tillitsenkätens omgång 3 har öppnats: svara senast 2026-12-23",
    ),
    (
        EventKind.TRUST_ROUND_REMINDER,
        {"number": 3, "deadline": "2026-12-23T10:00:00+00:00", "organisation_name": "Malmö stad"},
        "Reminder: Malmö stad has not answered trust self-assessment round 3; the last day is "
        "2026-12-23",
        "Påminnelse: Malmö stad har inte besvarat tillitsenkätens omgång 3; sista dagen är "
        "2026-12-23",
    ),
    (
        EventKind.TRUST_ROUND_CLOSED,
        {"number": 3, "asked": 4, "answered": 3},
        "Trust self-assessment round 3 closed: 3 of 4 organisations answered",
        "Tillitsenkätens omgång 3 har stängts: 3 av 4 organisationer svarade",
    ),
    (
        EventKind.EXPERIENCE_SUBMITTED,
        {"kind": "suggestion"},
        "A member of the public made a suggestion; it waits for moderation",
        "En invånare lämnade ett förslag; det väntar på moderering",
    ),
    (
        EventKind.EXPERIENCE_PUBLISHED,
        {"kind": "experience", "excerpt": "Träffpunkten i Hemse blev det jag ser fram emot."},
        "Maja Ek published an experience from the public: “Träffpunkten i Hemse blev det jag ser "
        "fram emot.”",
        "Maja Ek publicerade en erfarenhet från allmänheten: ”Träffpunkten i Hemse blev det jag "
        "ser fram emot.”",
    ),
    (
        EventKind.FOLLOWUP_DUE,
        {"outcome_title": "Kortare väntan", "months": 12, "due_on": "2027-06-01"},
        "The 12-month follow-up value of “Kortare väntan” is due (2027-06-01)",
        "Uppföljningsvärdet efter 12 månader för ”Kortare väntan” ska rapporteras nu (2027-06-01)",
    ),
    (
        EventKind.FOLLOWUP_OVERDUE,
        {"outcome_title": "Kortare väntan", "months": 6, "due_on": "2027-06-01"},
        "The 6-month follow-up value of “Kortare väntan” is overdue (due 2027-06-01)",
        "Uppföljningsvärdet efter 6 månader för ”Kortare väntan” är försenat (skulle ha "
        "rapporterats 2027-06-01)",
    ),
    (
        EventKind.LESSONS_REQUESTED,
        {"title": "Unga i Södertälje", "reference": "SAM-2026-0001"},
        "Lessons learned are asked for on the case “Unga i Södertälje”: what worked, what did not",
        "Lärdomar efterfrågas i ärendet ”Unga i Södertälje”: vad fungerade, vad fungerade inte",
    ),
    (
        EventKind.LESSONS_REMINDER,
        {"title": "Unga i Södertälje", "reference": "SAM-2026-0001"},
        "Reminder: the lessons learned of the case “Unga i Södertälje” are not recorded yet",
        "Påminnelse: lärdomarna från ärendet ”Unga i Södertälje” är inte registrerade än",
    ),
    (
        EventKind.LESSON_RECORDED,
        {"title": "Unga i Södertälje", "way_of_working": "Gemensam ärendekonferens", "lesson": 1},
        "Maja Ek recorded a lesson learned: “Gemensam ärendekonferens” (Unga i Södertälje)",
        "Maja Ek registrerade en lärdom: ”Gemensam ärendekonferens” (Unga i Södertälje)",
    ),
]


def _event(kind: str, payload: dict) -> Event:
    return Event(kind=kind, payload=payload, actor=MAJA)


@pytest.mark.parametrize(("kind", "payload", "english", "swedish"), LINES, ids=lambda v: str(v))
def test_each_line_names_the_thing_and_the_change_in_both_languages(
    kind: str, payload: dict, english: str | None, swedish: str | None
) -> None:
    event = _event(kind, payload)
    with translation.override("en"):
        line = event_message(event)
    if english is not None:
        assert line == english
    assert "\n" not in line
    with translation.override("sv"):
        if swedish is not None:
            assert event_message(event) == swedish


def test_every_kind_has_a_line_of_its_own() -> None:
    """A new kind is one entry in KINDS; a kind without one would read as its bare label."""
    assert set(EventKind.values) <= set(KINDS)
    tested = {kind for kind, *_ in LINES}
    assert set(EventKind.values) <= tested


def test_old_events_without_the_new_names_still_read() -> None:
    """Events recorded before the payload carried names fall back to a shorter line."""
    assigned = _event(EventKind.ACTION_ASSIGNED, {"title": "Nattvandring", "assignee": 7})
    added = _event(EventKind.ACTION_CREATED, {"title": "Nattvandring"})
    assert event_message(assigned) == "Action “Nattvandring” assigned"
    assert event_message(added) == "Action “Nattvandring” added"
    with translation.override("sv"):
        assert event_message(assigned) == "Åtgärden ”Nattvandring” tilldelades"


def test_a_long_reason_is_cut_so_the_line_stays_one_line() -> None:
    event = _event(
        EventKind.CASE_STATUS_CHANGED, {"from": "active", "to": "closed", "reason": "x" * 5000}
    )
    line = event_message(event)
    assert line.startswith("Active → Closed: xxx") and line.endswith("…")
    assert len(line) < 200


@pytest.mark.parametrize(
    ("kind", "english", "swedish"),
    [
        (
            EventKind.MEASUREMENT_REPORTED,
            "Maja Ek reported 24 measurements",
            "Maja Ek rapporterade 24 mätningar",
        ),
        (
            EventKind.ACTION_STATUS_CHANGED,
            "Maja Ek changed 24 actions",
            "Maja Ek ändrade 24 åtgärder",
        ),
        (
            EventKind.PARTICIPATION_INVITED,
            "Maja Ek invited 24 organisations",
            "Maja Ek bjöd in 24 organisationer",
        ),
        (EventKind.ACTION_OVERDUE, "24 actions are overdue", "24 åtgärder är försenade"),
    ],
)
def test_a_burst_reads_as_one_line_with_its_count(kind: str, english: str, swedish: str) -> None:
    event = _event(kind, {"title": "Nattvandring", **FIGURE, "value": "1"})
    assert burst_message(event, 24) == english
    with translation.override("sv"):
        assert burst_message(event, 24) == swedish
    assert burst_message(event, 1) == event_message(event)


def test_a_burst_of_a_kind_without_a_sentence_gets_a_count() -> None:
    event = _event(EventKind.ACTION_UNBLOCKED, {"title": "Samtal", "blocking_title": "Lägesbild"})
    assert burst_message(event, 3) == f"{event_message(event)} (×3)"
