"""The obstacle register in the demo: the same secrecy rule holds back two Södertälje cases
(a group of two in the committee's register), and a financial obstacle."""

from __future__ import annotations

from cases.models import Case

from . import services
from .choices import ObstacleKind


def obstacles_demo(users: dict, orgs: dict) -> None:
    youth = Case.objects.get(title__startswith="Unga i kriminalitet")
    school = Case.objects.get(title__startswith="Långvarig skolfrånvaro")
    services.obstacle_record(
        actor=users["petra"],
        case=youth,
        kind=ObstacleKind.LEGAL,
        statute="OSL 26 kap. 1 §",
        title="Socialtjänsten kan inte dela uppgifter om unga med polisen",
        effect=(
            "Polisen och socialtjänsten ser olika delar av samma ungdomars situation men får inte "
            "samordna sina insatser i tid."
        ),
        proposal="En sekretessbrytande bestämmelse för samverkan kring unga i riskzon.",
        organisations=[orgs["police"], orgs["sodertalje"]],
    )
    services.obstacle_record(
        actor=users["rita"],
        case=school,
        kind=ObstacleKind.LEGAL,
        statute="offentlighets- och sekretesslagen 26 kap. 1 §",
        title="BUP får inte veta vilka elever socialtjänsten redan stöttar",
        effect="Barnpsykiatrin och socialtjänsten kontaktar samma familjer var för sig.",
        organisations=[orgs["region_stockholm"]],
    )
    services.obstacle_record(
        actor=users["sara"],
        case=youth,
        kind=ObstacleKind.FINANCIAL,
        title="Fältassistenterna är finansierade bara till årsskiftet",
        effect="Kvällsverksamheten i Hovsjö kan inte planeras för nästa år.",
        organisations=[orgs["sodertalje"]],
    )
