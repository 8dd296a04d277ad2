"""Who may see and change what. The UI, the API and the services all ask this module.

Rules (PRODUCT.md, "Rules that must always hold"):
1. Committee members (the `committee` group) see and manage every case.
2. Others see public cases, cases they coordinate, and restricted cases in which one of their
   organisations is an active participant. Anything else does not exist for them (404).
3. A partner changes only actions their organisation leads or contributes to, and reports
   measurements only for cases their organisation takes part in (observers only watch).
   A contributing organisation reports progress (status, updates); the plan of the action
   (title, dates, lead, contributors, assignee, dependencies) is the lead organisation's and the
   case managers'.
4. Who coordinates a case and whether it is public are committee decisions; the coordinator may
   only hand coordination over to someone who already sees the case (see
   `can_change_case_field`).
5. A closed case changes no more: every "may change" below answers False for it, so the pages
   offer nothing that would be refused. Only its managers may reopen it (`can_reopen_case`).
6. An invited organisation's members see the case's overview and participants (not its actions,
   outcomes or timeline) while the invitation is open or their answer may still change; its
   admins answer, and may change the answer until a case manager acts on it
   (`answer_changeable`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from agencies.selectors import user_admin_organisation_ids, user_organisation_ids

from .choices import CaseStatus, ParticipationRole, ParticipationState, ReviewState, Visibility
from .models import Action, Case, Measurement, Outcome, Participation

AnyUser = AbstractBaseUser | AnonymousUser
WORKING_ROLES = (ParticipationRole.LEAD, ParticipationRole.PARTNER, ParticipationRole.CONTRIBUTOR)
CURRENT_PARTICIPATION_STATES = (ParticipationState.INVITED, ParticipationState.ACTIVE)


def is_committee(user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_committee", None)
    if cached is None:
        cached = user.is_superuser or user.groups.filter(name=settings.COMMITTEE_GROUP).exists()
        user._is_committee = cached  # type: ignore[union-attr]
    return cached


def visible_cases(user: AnyUser, queryset: QuerySet[Case] | None = None) -> QuerySet[Case]:
    queryset = Case.objects.all() if queryset is None else queryset
    if is_committee(user):
        return queryset
    condition = Q(visibility=Visibility.PUBLIC)
    if user.is_authenticated:
        participating = Participation.objects.filter(
            case=OuterRef("pk"),
            organisation_id__in=user_organisation_ids(user),
            state=ParticipationState.ACTIVE,
        )
        condition |= Q(coordinator=user) | Q(Exists(participating))
    return queryset.filter(condition)


def active_participant_ids(case: Case) -> dict[int, str]:
    """Organisation id -> role of the case's active participants (cached on the case)."""
    cached = getattr(case, "_active_participants", None)
    if cached is None:
        cached = dict(
            case.participations.filter(state=ParticipationState.ACTIVE).values_list(
                "organisation_id", "role"
            )
        )
        case._active_participants = cached  # type: ignore[attr-defined]
    return cached


def working_organisation_ids(user: AnyUser, case: Case) -> set[int]:
    """The user's organisations that actively take part in the case in a working role; none
    in a closed case, where nobody works any more."""
    if not is_case_open(case):
        return set()
    participants = active_participant_ids(case)
    return {
        org_id
        for org_id in user_organisation_ids(user)
        if participants.get(org_id) in WORKING_ROLES
    }


def can_view_case(user: AnyUser, case: Case) -> bool:
    if case.visibility == Visibility.PUBLIC or is_committee(user):
        return True
    if not user.is_authenticated:
        return False
    if case.coordinator_id == user.pk:
        return True
    return bool(user_organisation_ids(user) & set(active_participant_ids(case)))


def is_case_open(case: Case) -> bool:
    return case.status != CaseStatus.CLOSED


def is_case_manager(user: AnyUser, case: Case) -> bool:
    """The committee and the case's coordinator, whatever the case's status."""
    return is_committee(user) or (user.is_authenticated and case.coordinator_id == user.pk)


def can_manage_case(user: AnyUser, case: Case) -> bool:
    """Edit the case, move its status, invite organisations, set outcomes: not once closed."""
    return is_case_open(case) and is_case_manager(user, case)


def can_reopen_case(user: AnyUser, case: Case) -> bool:
    """A closed case is reopened by its managers, with a reason."""
    return not is_case_open(case) and is_case_manager(user, case)


# Fields whose change moves authority over the case: who sees it, who manages it.
CASE_DECISION_FIELDS = frozenset({"coordinator", "visibility"})


def can_change_case_field(user: AnyUser, case: Case, field: str) -> bool:
    """May `user` change `field` of the case at all (whatever the new value)?

    Visibility is the committee's alone; the coordinator may change who coordinates only by
    handing over (see `can_take_over_coordination` for whom to).
    """
    if field == "visibility":
        return is_committee(user)
    return can_manage_case(user, case)


def can_take_over_coordination(user: AnyUser | None, case: Case) -> bool:
    """May the coordinator hand the case to `user`? Only if `user` already sees the restricted
    case without coordinating it: a committee member or a member of an active participant.
    Whether the case is public does not count: making it restricted again would shut them out."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    participants = set(active_participant_ids(case))
    return is_committee(user) or bool(user_organisation_ids(user) & participants)


def can_appoint_coordinator(user: AnyUser, case: Case, new_coordinator: AnyUser | None) -> bool:
    """The committee appoints any active user (or none); the coordinator hands over to someone
    who may already see the case."""
    if new_coordinator is not None and not new_coordinator.is_active:
        return False
    if is_committee(user):
        return True
    return (
        user.is_authenticated
        and case.coordinator_id == user.pk
        and can_take_over_coordination(new_coordinator, case)
    )


def can_create_case(user: AnyUser) -> bool:
    return is_committee(user)


def answer_changeable(participation: Participation) -> bool:
    """May the invited organisation still change its answer? Until a case manager acts on it:
    acknowledges the answer, edits or withdraws the participation, or invites again; and not in
    a closed case. The services set `answer_acknowledged_at` for each of these acts."""
    return (
        participation.state in (ParticipationState.ACTIVE, ParticipationState.DECLINED)
        and participation.responded_at is not None
        and participation.answer_acknowledged_at is None
        and is_case_open(participation.case)
    )


def invitation_pending(participation: Participation) -> bool:
    """Open, or answered and still changeable: the organisation may still decide."""
    return participation.state == ParticipationState.INVITED or answer_changeable(participation)


def can_view_participation(user: AnyUser, participation: Participation) -> bool:
    """Whoever may see the case sees all its participations, whatever their state. The invited
    organisation's members also see its invitation (and, through it, the case's overview:
    PRODUCT.md) while it is open or the answer may change; after that a declined or withdrawn
    one does not exist for them."""
    if can_view_case(user, participation.case):
        return True
    return invitation_pending(participation) and participation.organisation_id in (
        user_organisation_ids(user)
    )


def invited_organisation_ids(case: Case) -> set[int]:
    """The organisations still deciding on an invitation to the case (cached on the case)."""
    cached = getattr(case, "_invited_organisations", None)
    if cached is None:
        rows = list(
            case.participations.filter(
                state__in=(ParticipationState.INVITED, ParticipationState.DECLINED)
            )
        )
        for row in rows:
            row.case = case  # `invitation_pending` reads the case: no query per row
        cached = {row.organisation_id for row in rows if invitation_pending(row)}
        case._invited_organisations = cached  # type: ignore[attr-defined]
    return cached


def can_view_case_overview(user: AnyUser, case: Case) -> bool:
    """The overview and participants of a case: whoever sees the case, and the members of an
    organisation invited to it while it decides (not its actions, outcomes or timeline)."""
    if can_view_case(user, case):
        return True
    return bool(user_organisation_ids(user) & invited_organisation_ids(case))


def is_invited_organisations_admin(user: AnyUser, participation: Participation) -> bool:
    """Whose the answer is: the invited organisation's admins (whether it may still change,
    the service says with a reason)."""
    return participation.organisation_id in user_admin_organisation_ids(user)


def can_respond_to_invitation(user: AnyUser, participation: Participation) -> bool:
    """An admin of the invited organisation, while the invitation is open or the answer may
    still change."""
    return invitation_pending(participation) and is_invited_organisations_admin(user, participation)


def can_acknowledge_answer(user: AnyUser, participation: Participation) -> bool:
    """A case manager takes note of an answer; from then on it stands."""
    return answer_changeable(participation) and can_manage_case(user, participation.case)


def can_edit_participation(user: AnyUser, participation: Participation) -> bool:
    """Mandate and contact person: the case's managers, or the organisation's admins while the
    organisation is invited or takes part (a former participant writes nothing into the case)."""
    if can_manage_case(user, participation.case):
        return True
    return (
        is_case_open(participation.case)
        and participation.state in CURRENT_PARTICIPATION_STATES
        and is_invited_organisations_admin(user, participation)
    )


def can_create_action(user: AnyUser, case: Case) -> bool:
    return can_manage_case(user, case) or bool(working_organisation_ids(user, case))


def action_organisation_ids(action: Action) -> set[int]:
    contributors = {org.pk for org in action.contributors.all()}
    return contributors | {action.lead_organisation_id}


# What a contributing organisation may change on an action another organisation leads.
ACTION_PROGRESS_FIELDS = frozenset({"status"})


def can_report_action_progress(user: AnyUser, action: Action) -> bool:
    """Move the status and post progress updates: the lead, the contributors, the managers."""
    if can_manage_case(user, action.case):
        return True
    return bool(working_organisation_ids(user, action.case) & action_organisation_ids(action))


def can_edit_action_plan(user: AnyUser, action: Action) -> bool:
    """Title, description, dates, lead, contributors, assignee, dependencies: the lead
    organisation's members and the case's managers (handing the lead on is the managers')."""
    if can_manage_case(user, action.case):
        return True
    return action.lead_organisation_id in working_organisation_ids(user, action.case)


def can_change_action(user: AnyUser, action: Action) -> bool:
    """Change anything of the action at all (at least its progress); which fields, see
    `action_fields_refused`."""
    return can_report_action_progress(user, action)


def action_fields_refused(user: AnyUser, action: Action, fields: set[str]) -> list[str]:
    """The fields among `fields` that `user` may not change on `action`, sorted."""
    if can_edit_action_plan(user, action):
        return []
    return sorted(fields - ACTION_PROGRESS_FIELDS)


def can_manage_outcomes(user: AnyUser, case: Case) -> bool:
    return can_manage_case(user, case)


def can_report_measurement(user: AnyUser, outcome: Outcome, organisation_id: int) -> bool:
    """Report for `organisation_id`: it must take part in the case and be the user's own.
    In a closed case only a value asked for after closing (`may_report_after_closing`)."""
    if organisation_id not in active_participant_ids(outcome.case):
        return False
    if not is_case_open(outcome.case):
        return may_report_after_closing(user, outcome, organisation_id)
    return can_manage_case(user, outcome.case) or organisation_id in working_organisation_ids(
        user, outcome.case
    )


def can_manage_webhooks(user: AnyUser, organisation_id: int) -> bool:
    """An organisation's webhook endpoints: its admins, and operators (superusers)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or organisation_id in user_admin_organisation_ids(user)


def case_readable(*, user_field: str, case_field: str) -> Q:
    """`can_view_case` as SQL, for rows that name a user and a case (a notification's recipient
    and its event's case): many pairs in one query, mirroring `visible_cases`. A row without a
    case is readable."""
    user_id, case_id = OuterRef(user_field), OuterRef(case_field)
    open_or_coordinated = Case.objects.filter(pk=case_id).filter(
        Q(visibility=Visibility.PUBLIC) | Q(coordinator_id=user_id)
    )
    committee = (
        get_user_model()
        .objects.filter(pk=user_id)
        .filter(Q(is_superuser=True) | Q(groups__name=settings.COMMITTEE_GROUP))
    )
    return (
        Q(**{f"{case_field}__isnull": True})
        | Q(Exists(open_or_coordinated))
        | Q(Exists(committee))
        | Q(Exists(_participations_of(user_id, case_id, ParticipationState.ACTIVE)))
    )


def invitation_open(*, user_field: str, case_field: str) -> Q:
    """SQL form of the invited organisation's view (`can_view_participation`): the user belongs
    to an organisation whose invitation to the case is still open, or whose answer may still
    change."""
    user_id, case_id = OuterRef(user_field), OuterRef(case_field)
    changeable = _participations_of(user_id, case_id, ParticipationState.DECLINED).filter(
        responded_at__isnull=False, answer_acknowledged_at__isnull=True
    )
    return Q(Exists(_participations_of(user_id, case_id, ParticipationState.INVITED))) | Q(
        Exists(changeable)
    )


def invitation_withdrawn_readable(*, user_field: str, object_field: str) -> Q:
    """The members of an organisation whose invitation was withdrawn read that it was (the
    participation named by the event's object), though never the case itself."""
    participation = Participation.objects.filter(
        pk=OuterRef(object_field), organisation__memberships__user_id=OuterRef(user_field)
    )
    return Q(Exists(participation))


def _participations_of(user_id: OuterRef, case_id: OuterRef, state: str) -> QuerySet:
    return Participation.objects.filter(
        case_id=case_id, organisation__memberships__user_id=user_id, state=state
    )


def users_who_can_view_case(case: Case, users: QuerySet) -> QuerySet:
    """`users` narrowed to those who may see the case: `can_view_case` for many users at once
    (the notification fan-out asks it for every recipient in one query)."""
    if case.visibility == Visibility.PUBLIC:
        return users
    condition = (
        Q(is_superuser=True)
        | Q(groups__name=settings.COMMITTEE_GROUP)
        | Q(memberships__organisation_id__in=list(active_participant_ids(case)))
    )
    if case.coordinator_id is not None:
        condition |= Q(pk=case.coordinator_id)
    return users.filter(condition).distinct()


def organisation_can_view_case(organisation_id: int, case: Case) -> bool:
    """What an organisation's own systems (its webhook endpoints) may still receive about a case:
    a public case, or one the organisation actively takes part in. Asked again at send time, so
    nothing queued before a withdrawal leaves afterwards."""
    return case.visibility == Visibility.PUBLIC or organisation_id in active_participant_ids(case)


# Measurement review: a partner's value counts once a case manager approved it.


def measurement_approved_on_entry(user: AnyUser, case: Case) -> bool:
    """A value reported by one of the case's managers needs no second look (in a closed case
    they may report only a value asked for after closing)."""
    return is_case_manager(user, case)


def can_review_measurement(user: AnyUser, measurement: Measurement) -> bool:
    """Approve or return a submitted value: the committee and the case's coordinator; in a
    closed case only a value asked for after closing."""
    case = measurement.outcome.case
    if not is_case_open(case):
        return is_case_manager(user, case) and is_answer_after_closing(measurement)
    return can_manage_case(user, case)


def _reported_by_users_organisation(user: AnyUser, measurement: Measurement) -> bool:
    case = measurement.outcome.case
    return measurement.organisation_id in working_organisation_ids(user, case)


def can_correct_measurement(user: AnyUser, measurement: Measurement) -> bool:
    """The case's managers, and the reporting organisation (its correction goes to review).
    In a closed case only a value asked for after closing, and by its organisation only until
    it is approved (a returned value is corrected and goes back to review)."""
    case = measurement.outcome.case
    if not is_case_open(case):
        if not is_answer_after_closing(measurement):
            return False
        if is_case_manager(user, case):
            return True
        pending = measurement.review_state != ReviewState.APPROVED
        return pending and measurement.organisation_id in user_organisation_ids(user)
    if can_manage_case(user, measurement.outcome.case):
        return True
    return _reported_by_users_organisation(user, measurement)


def can_withdraw_measurement(user: AnyUser, measurement: Measurement) -> bool:
    """The case's managers; the reporting organisation only while the value is not approved."""
    if can_manage_case(user, measurement.outcome.case):
        return True
    approved = measurement.review_state == ReviewState.APPROVED
    return not approved and _reported_by_users_organisation(user, measurement)


def cases_reviewed_by(user: AnyUser) -> QuerySet[Case]:
    """The cases whose submitted values the user reviews (for the dashboard's pending list)."""
    if is_committee(user):
        return Case.objects.all()
    if not user.is_authenticated:
        return Case.objects.none()
    return Case.objects.filter(coordinator=user)


# Values asked for after a case closed (effect follow-ups). A closed case changes no more
# (rule 5), except that the app which asks for such a value registers who may report it for an
# outcome, and which values are such answers: those are reported, reviewed and corrected as
# any other value. Nothing else of a closed case opens.
ClosedCaseReporter = Callable[[AnyUser, Outcome, int], bool]
ClosedCaseAnswer = Callable[[Measurement], bool]
_CLOSED_CASE_REPORTERS: list[ClosedCaseReporter] = []
_CLOSED_CASE_ANSWERS: list[ClosedCaseAnswer] = []
# The same as SQL over Measurement rows (the review queue keeps such values of closed cases).
_CLOSED_CASE_ANSWER_CONDITIONS: list[Callable[[], Q]] = []


def values_after_closing_register(
    *, reporter: ClosedCaseReporter, answer: ClosedCaseAnswer, condition: Callable[[], Q]
) -> None:
    if reporter not in _CLOSED_CASE_REPORTERS:
        _CLOSED_CASE_REPORTERS.append(reporter)
    if answer not in _CLOSED_CASE_ANSWERS:
        _CLOSED_CASE_ANSWERS.append(answer)
    if condition not in _CLOSED_CASE_ANSWER_CONDITIONS:
        _CLOSED_CASE_ANSWER_CONDITIONS.append(condition)


def answers_after_closing() -> Q | None:
    """`is_answer_after_closing` as a condition on Measurement rows; None when no app asks."""
    if not _CLOSED_CASE_ANSWER_CONDITIONS:
        return None
    condition = Q()
    for make in _CLOSED_CASE_ANSWER_CONDITIONS:
        condition |= make()
    return condition


def may_report_after_closing(user: AnyUser, outcome: Outcome, organisation_id: int) -> bool:
    """May `user` report, for `organisation_id`, a value of an outcome of a closed case now?"""
    if not user.is_authenticated or is_case_open(outcome.case):
        return False
    return any(rule(user, outcome, organisation_id) for rule in _CLOSED_CASE_REPORTERS)


def is_answer_after_closing(measurement: Measurement) -> bool:
    """Is the value one asked for after its case closed?"""
    return any(rule(measurement) for rule in _CLOSED_CASE_ANSWERS)
