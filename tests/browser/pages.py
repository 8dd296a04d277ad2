"""Every page type of the web UI, as the axe and keyboard tests visit them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from django.urls import reverse
from playwright.sync_api import Page

from agencies.models import ApiToken
from agencies.services import api_token_create, api_token_revoke
from cases import services
from cases.choices import ParticipationRole, ParticipationState
from cases.models import Case, Measurement, Participation


def case_url(case: Case, name: str = "case_detail") -> str:
    return reverse(name, kwargs={"reference": case.reference})


def submit_main_form_empty(page: Page, field: str = "title") -> None:
    """Submit the page's form with its key field emptied, so the server's errors are shown.

    The browser's own `required` check is switched off so that the server answers.
    """
    form = page.locator(f"main form:has([name='{field}'])").first
    form.evaluate("form => { form.noValidate = true; }")
    form.locator(f"[name='{field}']").fill("")
    with page.expect_navigation():
        form.locator("[type=submit]").last.click()


def submit_wrong_password(page: Page) -> None:
    page.locator("[name=username]").fill("anna")
    page.locator("[name=password]").fill("not-the-password")
    with page.expect_navigation():
        page.locator("main form [type=submit]").last.click()


@dataclass(frozen=True)
class PageType:
    """One page of the UI: who looks at it, where it is, and what to do before checking it."""

    name: str
    user: str | None
    path: Callable[[SimpleNamespace], str]
    prepare: Callable[[Page], None] | None = None
    status: int = 200


def _outcome_id(demo: SimpleNamespace) -> int:
    return demo.youth.outcomes.order_by("pk").first().pk


def _measurement_path(name: str, state: str) -> Callable[[SimpleNamespace], str]:
    """A page of one of the demo's youth-case values in the given review state."""

    def path(demo: SimpleNamespace) -> str:
        measurement = Measurement.objects.filter(outcome__case=demo.youth, review_state=state)
        return reverse(name, args=[measurement.order_by("pk").first().pk])

    return path


def submit_return_without_comment(page: Page) -> None:
    form = page.locator("main form:has([name='decision'])").first
    form.locator("[name=decision][value=return]").check()
    form.locator("[name=comment]").fill("")
    with page.expect_navigation():
        form.locator("[type=submit]").last.click()


def _organisation_path(demo: SimpleNamespace) -> str:
    return reverse("organisation_detail", kwargs={"pk": demo.orgs.sodertalje.pk})


def _invitation_path(demo: SimpleNamespace) -> str:
    """An open invitation of Malmö stad (admin: malik) to the youth case, made once."""
    invitation = Participation.objects.filter(
        case=demo.youth, organisation=demo.orgs.malmo, state=ParticipationState.INVITED
    ).first() or services.participation_invite(
        actor=demo.anna,
        case=demo.youth,
        organisation=demo.orgs.malmo,
        role=ParticipationRole.CONTRIBUTOR,
        mandate="Erfarenheter från Malmö.",
    )
    return reverse("invitation_answer", args=[invitation.pk])


def submit_decline_without_reason(page: Page) -> None:
    """Decline the invitation without saying why: the error stands by the reason."""
    form = page.locator("main form:has([name='answer'])").first
    form.locator("[name=answer][value=decline]").check()
    with page.expect_navigation():
        form.locator("[type=submit]").last.click()


def _participation_path(name: str, organisation: str) -> Callable[[SimpleNamespace], str]:
    def path(demo: SimpleNamespace) -> str:
        participation = Participation.objects.get(
            case=demo.youth, organisation=getattr(demo.orgs, organisation)
        )
        return reverse(name, args=[participation.pk])

    return path


def _account_path(demo: SimpleNamespace) -> str:
    """Sara's account page, with a live and a revoked personal API token, made once."""
    if not ApiToken.objects.filter(user=demo.sara).exists():
        api_token_create(user=demo.sara, name="Kommunens ärendesystem")
        old, _secret = api_token_create(user=demo.sara, name="Gammalt skript")
        api_token_revoke(user=demo.sara, token=old)
    return reverse("account")


def submit_second_lead(page: Page) -> None:
    """Make a partner the case's lead: the service refuses it by the role field."""
    page.locator("main form [name=role]").select_option("lead")
    with page.expect_navigation():
        page.locator("main form [type=submit]").last.click()


def open_all_details(page: Page) -> None:
    """Open every "customise" of the notification preferences (the kind-by-kind choices)."""
    for summary in page.locator("main details > summary").all():
        summary.click()


def submit_main_form(page: Page) -> None:
    with page.expect_navigation():
        page.locator("main form [type=submit]").last.click()


PAGE_TYPES = [
    PageType("login", None, lambda d: reverse("login")),
    PageType("login-error", None, lambda d: reverse("login"), submit_wrong_password),
    PageType("public-landing", None, lambda d: reverse("dashboard")),
    PageType("public-case-list", None, lambda d: reverse("case_list")),
    PageType("public-case-page", None, lambda d: case_url(d.public)),
    PageType("accessibility-statement", None, lambda d: reverse("accessibility")),
    PageType("dashboard", "carl", lambda d: reverse("dashboard")),
    PageType("case-list", "anna", lambda d: reverse("case_list")),
    PageType("case-list-filtered", "anna", lambda d: f"{reverse('case_list')}?q=unga&status=x"),
    PageType("case-page", "carl", lambda d: case_url(d.youth)),
    PageType("case-timeline", "carl", lambda d: case_url(d.youth, "case_timeline")),
    PageType(
        "case-timeline-filtered",
        "petra",
        lambda d: f"{case_url(d.youth, 'case_timeline')}?kind=measurement&kind=action",
    ),
    PageType(
        "case-actions", "carl", lambda d: f"{case_url(d.youth, 'case_actions')}?status=planned"
    ),
    PageType("outcome-values", "carl", lambda d: reverse("outcome_values", args=[_outcome_id(d)])),
    PageType("case-participants", "carl", lambda d: case_url(d.youth, "case_participants")),
    PageType(
        "public-case-list-search-matches",
        None,
        lambda d: f"{reverse('case_list')}?organisation_search=stad",
    ),
    PageType(
        "case-list-organisation-chosen",
        "anna",
        lambda d: f"{reverse('case_list')}?organisation={d.orgs.police.pk}",
    ),
    PageType("case-create", "anna", lambda d: reverse("case_create")),
    PageType(
        "case-create-errors", "anna", lambda d: reverse("case_create"), submit_main_form_empty
    ),
    PageType("case-edit", "anna", lambda d: case_url(d.youth, "case_edit")),
    PageType(
        "case-edit-errors", "anna", lambda d: case_url(d.youth, "case_edit"), submit_main_form_empty
    ),
    PageType("case-status", "carl", lambda d: case_url(d.youth, "case_transition")),
    PageType("invite", "anna", lambda d: case_url(d.youth, "participation_invite")),
    PageType("invitation-answer", "malik", _invitation_path),
    PageType("invitation-answer-errors", "malik", _invitation_path, submit_decline_without_reason),
    PageType("invitation-read-by-the-case-manager", "anna", _invitation_path),
    PageType("participation-edit", "carl", _participation_path("participation_edit", "police")),
    PageType(
        "participation-edit-partner",
        "petra",
        _participation_path("participation_edit", "police"),
    ),
    PageType(
        "participation-edit-errors",
        "anna",
        _participation_path("participation_edit", "police"),
        submit_second_lead,
    ),
    PageType(
        "participation-withdraw",
        "olle",
        _participation_path("participation_withdraw", "fryshuset"),
    ),
    # Polismyndigheten leads open actions: the withdrawal is refused with an error.
    PageType(
        "participation-withdraw-refused",
        "petra",
        _participation_path("participation_withdraw", "police"),
        submit_main_form,
    ),
    PageType("action-create", "carl", lambda d: case_url(d.youth, "action_create")),
    PageType(
        "action-create-errors",
        "carl",
        lambda d: case_url(d.youth, "action_create"),
        submit_main_form_empty,
    ),
    PageType(
        "action-page", "petra", lambda d: reverse("action_detail", args=[d.actions.picture.pk])
    ),
    PageType("action-edit", "carl", lambda d: reverse("action_edit", args=[d.actions.picture.pk])),
    PageType("outcome-create", "carl", lambda d: case_url(d.youth, "outcome_create")),
    PageType(
        "measurement-report",
        "petra",
        lambda d: reverse("measurement_report", args=[_outcome_id(d)]),
    ),
    PageType("measurement-review", "carl", _measurement_path("measurement_review", "submitted")),
    PageType(
        "measurement-review-errors",
        "carl",
        _measurement_path("measurement_review", "submitted"),
        submit_return_without_comment,
    ),
    PageType("measurement-correct", "petra", _measurement_path("measurement_correct", "returned")),
    PageType(
        "measurement-withdraw", "petra", _measurement_path("measurement_withdraw", "submitted")
    ),
    PageType("outcome-edit", "carl", lambda d: reverse("outcome_edit", args=[_outcome_id(d)])),
    PageType("outcome-remove", "carl", lambda d: reverse("outcome_remove", args=[_outcome_id(d)])),
    PageType("organisation-directory", "anna", lambda d: reverse("organisation_directory")),
    PageType("organisation-page", "sara", _organisation_path),
    PageType("inbox", "carl", lambda d: reverse("inbox")),
    PageType("preferences", "carl", lambda d: reverse("notification_preferences")),
    PageType(
        "preferences-customised",
        "carl",
        lambda d: reverse("notification_preferences"),
        open_all_details,
    ),
    PageType("my-actions", "petra", lambda d: reverse("my_actions")),
    PageType("my-actions-group", "sara", lambda d: f"{reverse('my_actions')}?group=overdue"),
    PageType("dashboard-committee-filtered", "anna", lambda d: "/?theme=youth-crime&region=01"),
    PageType("dashboard-invitation", "sara", lambda d: reverse("dashboard")),
    PageType("needs-me-list", "carl", lambda d: reverse("attention_list", args=["overdue"])),
    PageType("account", "sara", _account_path),
    PageType("password-change", "sara", lambda d: reverse("password_change")),
    PageType(
        "password-change-errors",
        "sara",
        lambda d: reverse("password_change"),
        lambda page: submit_main_form_empty(page, "old_password"),
    ),
    PageType("not-found", "petra", lambda d: case_url(d.care), status=404),
]
from tests.browser.pages_opendata import PAGE_TYPES_OPENDATA  # noqa: E402

PAGE_TYPES.extend(PAGE_TYPES_OPENDATA)

from tests.browser.pages_portfolio import PORTFOLIO_PAGES  # noqa: E402 - after PageType

PAGE_TYPES.extend(PORTFOLIO_PAGES)

from tests.browser.pages_reports import REPORT_PAGE_TYPES  # noqa: E402

PAGE_TYPES.extend(REPORT_PAGE_TYPES)
from .pages_decisions import DECISION_PAGE_TYPES  # noqa: E402

PAGE_TYPES.extend(DECISION_PAGE_TYPES)
from tests.browser.pages_documents import PAGE_TYPES as DOCUMENT_PAGE_TYPES  # noqa: E402

PAGE_TYPES.extend(DOCUMENT_PAGE_TYPES)

from tests.browser.pages_exports import PAGE_TYPES_EXPORTS  # noqa: E402

PAGE_TYPES.extend(PAGE_TYPES_EXPORTS)
from tests.browser.pages_learning import PAGE_TYPES_LEARNING  # noqa: E402

PAGE_TYPES.extend(PAGE_TYPES_LEARNING)
from tests.browser.pages_lessons import PAGE_TYPES_LESSONS  # noqa: E402

PAGE_TYPES.extend(PAGE_TYPES_LESSONS)
from tests.browser.pages_meetings import PAGE_TYPES as MEETING_PAGE_TYPES  # noqa: E402

PAGE_TYPES.extend(MEETING_PAGE_TYPES)
from tests.browser.pages_trust import PAGE_TYPES_TRUST  # noqa: E402

PAGE_TYPES.extend(PAGE_TYPES_TRUST)
from tests.browser.pages_citizens import PAGE_TYPES_CITIZENS  # noqa: E402

PAGE_TYPES.extend(PAGE_TYPES_CITIZENS)
from tests.browser.pages_followups import PAGE_TYPES_FOLLOWUPS  # noqa: E402

PAGE_TYPES.extend(PAGE_TYPES_FOLLOWUPS)
