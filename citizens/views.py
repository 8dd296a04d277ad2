"""Pages of citizens' experiences: a public case's page for sharing one and reading the
published ones, and the moderation queues of a case and of everything the user moderates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Case
from cases.views.common import call_service, paginate

from . import selectors, services
from .forms import ExperienceForm, RejectForm, ReplyForm
from .throttle import submission_allowed

MODERATED_SHOWN = 10
THANKS = gettext_lazy(
    "Thank you! A moderator reads what you wrote before it is published on this page."
)


def _throttled(request: HttpRequest, case: object, wait: int) -> HttpResponse:
    response = render(request, "citizens/throttled.html", {"case": case, "wait": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


def case_experiences(request: HttpRequest, reference: str) -> HttpResponse:
    """A public case's experiences and suggestions, newest first, and the form to share one.
    Anyone may read and write; nothing is shown before a moderator published it."""
    case = selectors.public_case_get(reference=reference)
    accepts = selectors.accepts_experiences(case)
    bound = request.POST if request.method == "POST" else None
    form = ExperienceForm(bound) if accepts else None
    if request.method == "POST" and form is not None:
        allowed, wait = submission_allowed(request)
        if not allowed:
            return _throttled(request, case, wait)
        if form.caught():  # a calm answer: the robot learns nothing, nothing is saved
            messages.success(request, THANKS)
            return redirect("case_experiences", reference=case.reference)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
            done = call_service(form, services.experience_submit, case=case, **data)
            if done is not None:
                messages.success(request, THANKS)
                return redirect("case_experiences", reference=case.reference)
    page = paginate(request, selectors.published_of_case(case))
    context = {
        "case": case,
        "page": page,
        "experiences": page,
        "form": form,
        "can_moderate": selectors.can_moderate(request.user, case),
    }
    return render(request, "citizens/case_experiences.html", context)


def _moderate(
    request: HttpRequest, experience_id: str, case: Case | None = None
) -> tuple[bool, dict]:
    """Run the moderator's choice on one experience (of `case`, on a case's queue); (done,
    forms with errors by action and id)."""
    if not experience_id.isdigit() or len(experience_id) > 18:
        return False, {}
    experience = selectors.experience_get_for_moderator(request.user, pk=int(experience_id))
    if case is not None and experience.case_id != case.pk:
        raise Http404
    action = request.POST.get("action")
    if action == "publish":
        form = RejectForm()
        done = call_service(
            form, services.experience_publish, actor=request.user, experience=experience
        )
        if done is not None:
            messages.success(request, _("Published on the case's public page."))
        return done is not None, {}
    if action == "reject":
        form = RejectForm(request.POST, prefix=f"reject-{experience.pk}")
        if form.is_valid():
            done = call_service(
                form,
                services.experience_reject,
                actor=request.user,
                experience=experience,
                reason=form.cleaned_data["rejection_reason"],
            )
            if done is not None:
                messages.success(request, _("Rejected; it will not be shown."))
                return True, {}
        return False, {("reject", experience.pk): form}
    if action == "reply":
        form = ReplyForm(request.POST, prefix=f"reply-{experience.pk}")
        if form.is_valid():
            done = call_service(
                form,
                services.experience_reply,
                actor=request.user,
                experience=experience,
                reply=form.cleaned_data["reply"],
            )
            if done is not None:
                messages.success(
                    request, _("The reply is being sent; then the address is removed.")
                )
                return True, {}
        return False, {("reply", experience.pk): form}
    return False, {}


def _with_forms(rows: object, bound: dict) -> list:
    rows = list(rows)
    for row in rows:
        row.reject_form = bound.get(("reject", row.pk)) or RejectForm(prefix=f"reject-{row.pk}")
        row.reply_form = bound.get(("reply", row.pk)) or ReplyForm(prefix=f"reply-{row.pk}")
    return rows


def case_experience_queue(request: HttpRequest, reference: str) -> HttpResponse:
    """The case's moderation queue (its coordinator and the committee): waiting experiences
    oldest first with the contact e-mail, and the latest decided ones."""
    try:
        case = selectors.moderation_case_get(request.user, reference=reference)
    except Http404:
        # A follower's notification links here too: on a public case they get its public page
        # (which they may read anyway); anything else does not exist for them.
        selectors.public_case_get(reference=reference)
        return redirect("case_experiences", reference=reference)
    bound: dict = {}
    if request.method == "POST":
        done, bound = _moderate(request, request.POST.get("experience", ""), case)
        if done:
            return redirect(request.get_full_path())
    page = paginate(request, selectors.pending_of_case(case))
    context = {
        "case": case,
        "page": page,
        "pending": _with_forms(page, bound),
        "moderated": _with_forms(selectors.moderated_of_case(case)[:MODERATED_SHOWN], bound),
    }
    return render(request, "citizens/case_queue.html", context)


@login_required
def experience_queue(request: HttpRequest) -> HttpResponse:
    """Everything waiting for the user's moderation across cases, oldest first."""
    bound: dict = {}
    if request.method == "POST":
        done, bound = _moderate(request, request.POST.get("experience", ""))
        if done:
            return redirect(request.get_full_path())
    page = paginate(request, selectors.queue_for_user(request.user))
    context = {"page": page, "pending": _with_forms(page, bound)}
    return render(request, "citizens/queue.html", context)
