"""Demo decisions: a handful on the demo cases, some at the committee's past meetings (when the
meetings demo created any), one by delegation, one revoking another."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from cases.models import Case
from meetings.models import Meeting

from .choices import DecidedBy
from .services import decision_take


def _past_meetings() -> list[Meeting]:
    """The meetings already held, oldest first (none when the meetings demo made none)."""
    held = Meeting.objects.filter(starts_at__lt=timezone.now()).order_by("-starts_at", "-pk")
    return list(reversed(held[:3]))


def _at(meetings: list[Meeting], index: int, days_ago: int) -> dict:
    """At the index-th past meeting, on its day; else by circulation `days_ago` days ago."""
    if index < len(meetings):
        meeting = meetings[index]
        return {"meeting": meeting, "decided_on": timezone.localdate(meeting.starts_at)}
    return {"decided_on": timezone.localdate() - timedelta(days=days_ago)}


def _later(first: date, days_ago: int) -> date:
    return max(first, timezone.localdate() - timedelta(days=days_ago))


def demo_decisions(users: dict, orgs: dict) -> None:
    anna = users["anna"]
    youth = Case.objects.get(title__startswith="Unga i kriminalitet")
    care = Case.objects.get(title__startswith="Långa köer")
    public = Case.objects.get(title__startswith="Ofrivillig ensamhet")
    meetings = _past_meetings()
    decision_take(
        actor=anna,
        case=youth,
        text=(
            "Kommittén inleder samverkan om unga i kriminalitet i Södertälje och Nykvarn. "
            "Polismyndigheten och Södertälje kommun leder arbetet tillsammans."
        ),
        **_at(meetings, 0, 60),
    )
    report = decision_take(
        actor=anna,
        case=youth,
        text=(
            "Polismyndigheten och Södertälje kommun redovisar en gemensam lägesbild "
            "för kommittén senast vid utgången av kvartalet."
        ),
        **_at(meetings, 1, 30),
    )
    decision_take(
        actor=anna,
        case=public,
        text=(
            "Ärendet om ofrivillig ensamhet bland äldre på Gotland är offentligt, så att fler "
            "organisationer kan följa arbetet och bidra."
        ),
        **_at(meetings, 2, 20),
    )
    decision_take(
        actor=anna,
        case=care,
        decided_on=timezone.localdate() - timedelta(days=12),
        decided_by=DecidedBy.DELEGATE,
        delegate=anna,
        text=(
            "På kommitténs delegation: Region Stockholm bjuds in som ledande organisation "
            "för arbetet med köerna till barn- och ungdomspsykiatrin."
        ),
    )
    decision_take(
        actor=anna,
        case=youth,
        decided_on=_later(report.decided_on, 5),
        text=(
            "Beslutet om en skriftlig lägesbild upphävs. Lägesbilden redovisas i stället "
            "muntligt vid kommitténs nästa möte."
        ),
        revokes=report,
    )
