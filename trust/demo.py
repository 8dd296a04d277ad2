"""The trust self-assessment in the demo: the Södertälje youth case has two closed rounds, all
three working organisations answering, and an open round where Södertälje kommun has answered
and Polismyndigheten and Region Stockholm have not yet."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cases.models import Case

from . import services
from .choices import Principle

# Scores per round and organisation, in the principles' order.
SCORES = {
    1: {
        "sara": [3, 4, 2, 2, 3, 3, 3, 2],
        "petra": [2, 3, 3, 2, 2, 3, 2, 2],
        "rita": [3, 4, 2, 3, 2, 2, 3, 1],
    },
    2: {
        "sara": [4, 4, 3, 3, 3, 4, 4, 3],
        "petra": [3, 4, 3, 3, 3, 3, 3, 2],
        "rita": [3, 4, 3, 3, 3, 3, 4, 2],
    },
    3: {"sara": [4, 5, 4, 3, 4, 4, 4, 3]},
}
COMMENTS = {
    ("sara", 2, Principle.ROOM_FOR_ACTION): "Fältassistenterna behöver kunna ändra kvällspassen "
    "utan beslut i nämnden.",
    ("petra", 1, Principle.OPENNESS): "Vi fick veta om skolans insatser först i efterhand.",
}
ORGANISATION_OF = {"sara": "sodertalje", "petra": "police", "rita": "region_stockholm"}


def trust_demo(users: dict, orgs: dict) -> None:
    youth = Case.objects.get(title__startswith="Unga i kriminalitet")
    now = timezone.now()
    for number, opened_days_ago in ((1, 200), (2, 110), (3, 10)):
        opened = now - timedelta(days=opened_days_ago)
        trust_round = services.trust_round_open(case=youth, now=opened)
        assert trust_round is not None
        for username, scores in SCORES[number].items():
            services.trust_answers_submit(
                actor=users[username],
                trust_round=trust_round,
                organisation_id=orgs[ORGANISATION_OF[username]].pk,
                scores=dict(zip(Principle.values, scores, strict=True)),
                comments={
                    principle.value: text
                    for (who, at, principle), text in COMMENTS.items()
                    if who == username and at == number
                },
                now=opened + timedelta(days=3),
            )
        if trust_round.deadline <= now:
            services.trust_round_close(trust_round=trust_round, now=trust_round.deadline)
