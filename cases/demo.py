"""A believable demo scenario, built through the services like any user's work.

Personas (also the test personas): anna (committee), carl (coordinator of two Södertälje cases),
petra (Polismyndigheten), sara (Södertälje kommun, organisation admin), olle (civil society,
observer), eve (an organisation in no restricted case).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.db import transaction
from django.utils import timezone

from agencies.choices import MembershipRole, OrganisationKind
from agencies.models import Organisation
from agencies.reference import load_reference_data
from agencies.services import membership_set, organisation_create
from notifications import services as notification_services

from . import services
from .choices import (
    ActionStatus,
    CaseStatus,
    Direction,
    ParticipationRole,
    ReviewState,
    ValueKind,
    Visibility,
)
from .models import Case, Outcome, Participation, Theme
from .themes import ensure_themes_and_committee

DEMO_PASSWORD = "samverkan-demo"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    description: str


PERSONAS = [
    DemoUser("anna", "Anna", "Andersson", "committee member: sees and manages every case"),
    DemoUser("carl", "Carl", "Claesson", "coordinator of two Södertälje cases"),
    DemoUser("petra", "Petra", "Persson", "Polismyndigheten (partner in the Södertälje case)"),
    DemoUser("sara", "Sara", "Svensson", "Södertälje kommun, organisation admin (lead)"),
    DemoUser("olle", "Olle", "Olsson", "Fryshuset, civil society (observer)"),
    DemoUser("eve", "Eve", "Ek", "Kiruna kommun: in no restricted case, sees public ones"),
]
OPERATOR = DemoUser("admin", "Ada", "Admin", "operator: Django admin superuser (/admin/)")
SUPPORTING = [
    DemoUser("rita", "Rita", "Rosén", "Region Stockholm, organisation admin"),
    DemoUser("maja", "Maja", "Mattsson", "Region Skåne, organisation admin"),
    DemoUser("malik", "Malik", "Mansour", "Malmö stad, organisation admin"),
    DemoUser("gustav", "Gustav", "Gardell", "Region Gotland, organisation admin"),
]


def _user(demo: DemoUser) -> AbstractBaseUser:
    user = get_user_model().objects.create_user(
        username=demo.username,
        password=DEMO_PASSWORD,
        email=f"{demo.username}@demo.samverkan.localhost",
        first_name=demo.first_name,
        last_name=demo.last_name,
    )
    return user


def _committee_reads_the_admin(user: AbstractBaseUser) -> None:
    """The committee member may browse the admin read-only; changes go through the product."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__startswith="view_",
            content_type__app_label__in=["agencies", "cases", "notifications"],
        )
    )


def _org(**lookup: str) -> Organisation:
    return Organisation.objects.get(**lookup)


# The demo of apps beside `cases` (meetings, decisions, …): each app appends its loader in its
# `AppConfig.ready()`; they run in INSTALLED_APPS order after the cases, with the same users
# (by username) and organisations (by key).
DEMO_EXTENSIONS: list[Callable[[dict, dict], None]] = []


def demo_data_present() -> bool:
    return get_user_model().objects.filter(username="anna").exists()


@transaction.atomic
def load_demo_data() -> list[DemoUser]:
    """Create the personas, their organisations and three cases. Returns the logins."""
    ensure_themes_and_committee(Theme, Group, settings.COMMITTEE_GROUP)
    if not Organisation.objects.filter(reference_key__isnull=False).exists():
        load_reference_data()
    users = {demo.username: _user(demo) for demo in PERSONAS + SUPPORTING}
    users["anna"].groups.add(Group.objects.get(name=settings.COMMITTEE_GROUP))
    _committee_reads_the_admin(users["anna"])
    get_user_model().objects.create_superuser(
        username=OPERATOR.username,
        password=DEMO_PASSWORD,
        email="admin@demo.samverkan.localhost",
        first_name=OPERATOR.first_name,
        last_name=OPERATOR.last_name,
    )
    orgs = _organisations()
    for username, org_key, role in [
        ("carl", "secretariat", MembershipRole.MEMBER),
        ("petra", "police", MembershipRole.ADMIN),
        ("sara", "sodertalje", MembershipRole.ADMIN),
        ("olle", "fryshuset", MembershipRole.ADMIN),
        ("eve", "kiruna", MembershipRole.MEMBER),
        ("rita", "region_stockholm", MembershipRole.ADMIN),
        ("maja", "region_skane", MembershipRole.ADMIN),
        ("malik", "malmo", MembershipRole.ADMIN),
        ("gustav", "gotland", MembershipRole.ADMIN),
    ]:
        membership_set(user=users[username], organisation=orgs[org_key], role=role)
    _youth_crime_case(users, orgs)
    _school_absence_case(users, orgs)
    _care_queue_case(users, orgs)
    _public_case(users, orgs)
    for extension in DEMO_EXTENSIONS:
        extension(users, orgs)
    # The story above is the personas' past: each starts with what asks something of them.
    # After commit, behind the story's own fan-out (callbacks run in the order they came).
    transaction.on_commit(lambda: _inboxes_settle(list(users.values())))
    return [*PERSONAS, OPERATOR, *SUPPORTING]


def _inboxes_settle(users: list[AbstractBaseUser]) -> None:
    for user in users:
        notification_services.notification_mark_read_unless_asking(user=user)


def _organisations() -> dict[str, Organisation]:
    return {
        "police": _org(name="Polismyndigheten"),
        "sodertalje": _org(kind=OrganisationKind.MUNICIPALITY, municipality_code="0181"),
        "region_stockholm": _org(kind=OrganisationKind.REGION, region_code="01"),
        "region_skane": _org(kind=OrganisationKind.REGION, region_code="12"),
        "malmo": _org(kind=OrganisationKind.MUNICIPALITY, municipality_code="1280"),
        "kiruna": _org(kind=OrganisationKind.MUNICIPALITY, municipality_code="2584"),
        "gotland": _org(kind=OrganisationKind.MUNICIPALITY, municipality_code="0980"),
        "socialstyrelsen": _org(name="Socialstyrelsen"),
        "fryshuset": organisation_create(
            name="Fryshuset",
            kind=OrganisationKind.CIVIL_SOCIETY,
            website="https://fryshuset.example",
            contact_email="info@fryshuset.example",
        ),
        "secretariat": organisation_create(
            name="Samverkanskommitténs kansli", short_name="Kansliet", kind=OrganisationKind.OTHER
        ),
    }


def _invite_and_accept(
    case: Case,
    org: Organisation,
    role: str,
    inviter: AbstractBaseUser,
    admin: AbstractBaseUser,
    contact: AbstractBaseUser,
    mandate: str,
) -> Participation:
    participation = services.participation_invite(
        actor=inviter, case=case, organisation=org, role=role, mandate=mandate
    )
    return services.participation_accept(
        actor=admin, participation=participation, contact_person=contact
    )


def _monthly_measurements(
    outcome: Outcome,
    org: Organisation,
    reporter: AbstractBaseUser,
    values: list[int],
    *,
    reviewer: AbstractBaseUser,
    pending: int = 0,
    returned: str = "",
) -> None:
    """Monthly values as the reporter sent them; the reviewer approved all but the last
    `pending` (still submitted) and, with a `returned` comment, sent the last one back."""
    start = outcome.baseline_date
    for month, value in enumerate(values, start=1):
        measurement = services.measurement_report(
            actor=reporter,
            outcome=outcome,
            organisation=org,
            value=Decimal(value),
            measured_on=_add_months(start, month),
        )
        if measurement.review_state != ReviewState.SUBMITTED:
            continue
        if returned and month == len(values):
            services.measurement_return(actor=reviewer, measurement=measurement, comment=returned)
        elif month <= len(values) - pending:
            services.measurement_approve(actor=reviewer, measurement=measurement)


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    return date(day.year + month_index // 12, month_index % 12 + 1, 1)


def _youth_crime_case(users: dict, orgs: dict) -> Case:
    today = timezone.localdate()
    anna, carl = users["anna"], users["carl"]
    case = services.case_create(
        actor=anna,
        title="Unga i kriminalitet i Södertälje",
        summary="Färre unga ska dras in i kriminella nätverk i Södertälje.",
        problem_description=(
            "Skola, socialtjänst, polis och hälso- och sjukvård möter samma unga men var för sig. "
            "Ingen enskild organisation äger frågan; insatserna behöver samordnas tidigt."
        ),
        theme=Theme.objects.get(slug="youth-crime"),
        scope_areas=[orgs["sodertalje"]],
        priority="high",
        coordinator=carl,
        start_date=today - timedelta(days=730),
        target_date=today + timedelta(days=365),
    )
    _invite_and_accept(
        case,
        orgs["sodertalje"],
        ParticipationRole.LEAD,
        anna,
        users["sara"],
        users["sara"],
        "Beslutar om socialtjänstens och skolans insatser.",
    )
    _invite_and_accept(
        case,
        orgs["police"],
        ParticipationRole.PARTNER,
        anna,
        users["petra"],
        users["petra"],
        "Kan prioritera lokala resurser; inte ändra nationella direktiv.",
    )
    _invite_and_accept(
        case,
        orgs["region_stockholm"],
        ParticipationRole.CONTRIBUTOR,
        anna,
        users["rita"],
        users["rita"],
        "Barn- och ungdomspsykiatrin i Södertälje.",
    )
    _invite_and_accept(
        case,
        orgs["fryshuset"],
        ParticipationRole.OBSERVER,
        anna,
        users["olle"],
        users["olle"],
        "Följer arbetet och bidrar med erfarenheter från fältet.",
    )
    services.case_transition(
        actor=carl,
        case=case,
        to_status=CaseStatus.ACTIVE,
        reason="Parterna har tackat ja och mandaten är klara.",
    )
    picture = services.action_create(
        actor=carl,
        case=case,
        title="Gemensam lägesbild över ungdomsbrottsligheten",
        lead_organisation=orgs["police"],
        assignee=users["petra"],
        start_date=today - timedelta(days=60),
        due_date=today + timedelta(days=20),
        status=ActionStatus.IN_PROGRESS,
    )
    services.action_create(
        actor=carl,
        case=case,
        title="Förebyggande samtal i skolorna",
        description="Väntar på polisens lägesbild för att välja skolor.",
        lead_organisation=orgs["sodertalje"],
        contributors=[orgs["police"]],
        assignee=users["sara"],
        due_date=today + timedelta(days=60),
        status=ActionStatus.BLOCKED,
        depends_on=[picture],
    )
    services.action_create(
        actor=carl,
        case=case,
        title="Fältarbete kvällstid i Hovsjö och Ronna",
        lead_organisation=orgs["sodertalje"],
        contributors=[orgs["region_stockholm"]],
        assignee=users["sara"],
        start_date=today - timedelta(days=90),
        due_date=today - timedelta(days=10),
        status=ActionStatus.IN_PROGRESS,
    )
    services.action_create(
        actor=carl,
        case=case,
        title="Snabbare BUP-kontakt för unga i riskzon",
        lead_organisation=orgs["region_stockholm"],
        assignee=users["rita"],
        due_date=today + timedelta(days=120),
    )
    suspects = services.outcome_create(
        actor=carl,
        case=case,
        title="Färre unga misstänkta för brott",
        indicator="Unga 15–20 år misstänkta för brott per månad",
        unit="personer",
        value_kind=ValueKind.COUNT,
        min_value=Decimal(0),
        max_value=Decimal(500),
        direction=Direction.DECREASE,
        baseline_value=Decimal(60),
        baseline_date=_add_months(today, -25),
        target_value=Decimal(40),
        target_date=today + timedelta(days=365),
        data_source="Polismyndighetens ärendesystem",
    )
    _monthly_measurements(
        suspects,
        orgs["police"],
        users["petra"],
        [
            60,
            62,
            59,
            58,
            61,
            57,
            55,
            56,
            54,
            55,
            52,
            53,
            51,
            50,
            52,
            49,
            48,
            49,
            47,
            48,
            46,
            45,
            46,
            44,
        ],
        reviewer=carl,
        pending=3,
        returned="Siffran verkar räkna med 21-åringar. Kontrollera urvalet och rätta värdet.",
    )
    occupied = services.outcome_create(
        actor=carl,
        case=case,
        title="Fler unga i sysselsättning",
        indicator="Andel unga 16–20 år i studier eller arbete",
        unit="%",
        value_kind=ValueKind.PERCENT,
        direction=Direction.INCREASE,
        baseline_value=Decimal(82),
        baseline_date=_add_months(today, -25),
        target_value=Decimal(90),
        target_date=today + timedelta(days=365),
        data_source="Södertälje kommun, KAA-uppföljning",
    )
    _monthly_measurements(
        occupied,
        orgs["sodertalje"],
        users["sara"],
        [
            82,
            82,
            83,
            83,
            83,
            84,
            84,
            84,
            85,
            85,
            85,
            85,
            86,
            86,
            86,
            86,
            87,
            87,
            87,
            87,
            87,
            88,
            88,
            88,
        ],
        reviewer=carl,
        pending=1,
    )
    return case


def _school_absence_case(users: dict, orgs: dict) -> Case:
    """Carl's second case: something is late, something blocked, something due this week, a
    value to review, and Södertälje kommun's invitation waiting for Sara's answer."""
    today = timezone.localdate()
    anna, carl, rita = users["anna"], users["carl"], users["rita"]
    case = services.case_create(
        actor=anna,
        title="Långvarig skolfrånvaro i Södertälje",
        summary="Fler elever med hög frånvaro ska tillbaka i skolan, med stöd från vård och skola.",
        theme=Theme.objects.get(slug="school-completion"),
        scope_areas=[orgs["sodertalje"]],
        coordinator=carl,
        start_date=today - timedelta(days=300),
        target_date=today + timedelta(days=400),
    )
    _invite_and_accept(
        case,
        orgs["region_stockholm"],
        ParticipationRole.LEAD,
        carl,
        rita,
        rita,
        "Barn- och ungdomspsykiatrin och ungdomsmottagningarna i Södertälje.",
    )
    services.participation_invite(
        actor=carl,
        case=case,
        organisation=orgs["sodertalje"],
        role=ParticipationRole.PARTNER,
        mandate="Elevhälsan och skolornas närvaroarbete.",
    )
    services.case_transition(
        actor=carl, case=case, to_status=CaseStatus.ACTIVE, reason="Regionen leder arbetet."
    )
    services.action_create(
        actor=carl,
        case=case,
        title="Kartläggning av elever med långvarig frånvaro",
        lead_organisation=orgs["region_stockholm"],
        assignee=rita,
        start_date=today - timedelta(days=60),
        due_date=today - timedelta(days=5),
        status=ActionStatus.IN_PROGRESS,
    )
    services.action_create(
        actor=carl,
        case=case,
        title="Gemensam rutin för elevhälsa och BUP",
        description="Väntar på att Södertälje kommun svarar på inbjudan.",
        lead_organisation=orgs["region_stockholm"],
        assignee=rita,
        due_date=today + timedelta(days=30),
        status=ActionStatus.BLOCKED,
    )
    services.action_create(
        actor=carl,
        case=case,
        title="Samtalsstöd för elever med hög frånvaro",
        lead_organisation=orgs["region_stockholm"],
        assignee=rita,
        due_date=today + timedelta(days=4),
    )
    absence = services.outcome_create(
        actor=carl,
        case=case,
        title="Färre elever med långvarig frånvaro",
        indicator="Andel elever i årskurs 7–9 med mer än 50 % frånvaro",
        unit="%",
        value_kind=ValueKind.PERCENT,
        direction=Direction.DECREASE,
        baseline_value=Decimal(6),
        baseline_date=_add_months(today, -4),
        target_value=Decimal(3),
        target_date=today + timedelta(days=400),
        data_source="Regionens och skolornas närvarouppföljning",
    )
    _monthly_measurements(
        absence, orgs["region_stockholm"], rita, [6, 6, 5], reviewer=carl, pending=1
    )
    return case


def _care_queue_case(users: dict, orgs: dict) -> Case:
    today = timezone.localdate()
    anna = users["anna"]
    case = services.case_create(
        actor=anna,
        title="Långa köer till barn- och ungdomspsykiatrin i Skåne",
        summary="Kortare väntan på första besök: region och kommun samordnar första linjen.",
        theme=Theme.objects.get(slug="care-queues"),
        scope_areas=[orgs["region_skane"], orgs["malmo"]],
        coordinator=anna,
        start_date=today - timedelta(days=400),
        target_date=today + timedelta(days=500),
    )
    _invite_and_accept(
        case,
        orgs["region_skane"],
        ParticipationRole.LEAD,
        anna,
        users["maja"],
        users["maja"],
        "Beslutar om vårdens organisation och resurser i regionen.",
    )
    _invite_and_accept(
        case,
        orgs["malmo"],
        ParticipationRole.PARTNER,
        anna,
        users["malik"],
        users["malik"],
        "Elevhälsa och socialtjänst i Malmö.",
    )
    services.case_transition(actor=anna, case=case, to_status=CaseStatus.ACTIVE, reason="Start.")
    services.action_create(
        actor=anna,
        case=case,
        title="Gemensam bedömningsmall för första linjen",
        lead_organisation=orgs["region_skane"],
        contributors=[orgs["malmo"]],
        assignee=users["maja"],
        due_date=today + timedelta(days=45),
        status=ActionStatus.IN_PROGRESS,
    )
    wait = services.outcome_create(
        actor=anna,
        case=case,
        title="Kortare väntan till första besök",
        indicator="Median väntetid till första besök i BUP",
        unit="dagar",
        value_kind=ValueKind.COUNT,
        direction=Direction.DECREASE,
        baseline_value=Decimal(95),
        baseline_date=_add_months(today, -25),
        target_value=Decimal(30),
        target_date=today + timedelta(days=500),
        data_source="Väntetider i vården (SKR)",
    )
    _monthly_measurements(
        wait,
        orgs["region_skane"],
        users["maja"],
        [
            95,
            97,
            99,
            96,
            94,
            92,
            93,
            90,
            88,
            86,
            85,
            83,
            80,
            78,
            77,
            75,
            72,
            70,
            69,
            67,
            65,
            64,
            62,
            60,
        ],
        reviewer=anna,
        pending=2,
    )
    return case


def _public_case(users: dict, orgs: dict) -> Case:
    today = timezone.localdate()
    anna = users["anna"]
    case = services.case_create(
        actor=anna,
        title="Ofrivillig ensamhet bland äldre på Gotland",
        summary="Region, civilsamhälle och stat prövar nya vägar mot ofrivillig ensamhet.",
        theme=Theme.objects.get(slug="elderly-care"),
        scope_areas=[orgs["gotland"]],
        visibility=Visibility.PUBLIC,
        coordinator=anna,
        start_date=today - timedelta(days=200),
        target_date=today + timedelta(days=600),
    )
    _invite_and_accept(
        case,
        orgs["gotland"],
        ParticipationRole.LEAD,
        anna,
        users["gustav"],
        users["gustav"],
        "Äldreomsorg och primärvård på Gotland.",
    )
    services.case_transition(actor=anna, case=case, to_status=CaseStatus.ACTIVE, reason="Start.")
    services.action_create(
        actor=anna,
        case=case,
        title="Mötesplatser i fem socknar",
        lead_organisation=orgs["gotland"],
        due_date=today + timedelta(days=90),
    )
    return case
