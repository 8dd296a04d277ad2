"""The meetings' pages: list, meeting (agenda, attendance, minutes), proposals, calendar feed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.views.common import call_service, paginate

from . import access, selectors, services
from .calendar import personal_feed
from .choices import ItemState
from .forms import (
    AttendanceForm,
    CorrectionForm,
    DeclineForm,
    ItemForm,
    MeetingForm,
    MinutesForm,
    ProposeForm,
)
from .models import AgendaItem, Meeting


def _require_meetings(request: HttpRequest) -> None:
    if not access.can_view_meetings(request.user):
        raise Http404


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    _require_meetings(request)
    page = paginate(request, selectors.meeting_list_for_user(request.user))
    return render(request, "meetings/meeting_list.html", {"page": page})


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    _require_meetings(request)
    form = MeetingForm(request.POST or None)
    if form.is_valid():
        meeting = call_service(
            form, services.meeting_create, actor=request.user, **form.cleaned_data
        )
        if meeting is not None:
            messages.success(request, _("The meeting was created."))
            return redirect("meeting_detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form})


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(request.user, pk)
    form = MeetingForm(request.POST or None, instance=meeting)
    if form.is_valid():
        updated = call_service(
            form,
            services.meeting_update,
            actor=request.user,
            meeting=meeting,
            data=form.cleaned_data,
        )
        if updated is not None:
            messages.success(request, _("The meeting was saved."))
            return redirect("meeting_detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


def _item_rows(request: HttpRequest, meeting: Meeting) -> list[AgendaItem]:
    items = list(selectors.items_for_user(request.user, meeting))
    for item in items:
        versions = list(item.minutes.all())
        item.latest_minutes = versions[0] if versions else None  # type: ignore[attr-defined]
        item.earlier_minutes = versions[1:]  # type: ignore[attr-defined]
    return items


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(request.user, pk)
    items = _item_rows(request, meeting)
    context = {
        "meeting": meeting,
        "agenda": [i for i in items if i.state == ItemState.ON_AGENDA],
        "proposed": [i for i in items if i.state == ItemState.PROPOSED],
        "declined": [i for i in items if i.state == ItemState.DECLINED],
        "expected": meeting.expected_members.order_by("first_name", "last_name", "id"),
        "present": meeting.present_members.order_by("first_name", "last_name", "id"),
        "attendance_form": AttendanceForm(meeting=meeting),
        "decline_form": DeclineForm(),
        "can_prepare": access.can_prepare_meetings(request.user),
        # An agenda goes out before the meeting; once it has started there is nothing to send.
        "has_started": meeting.starts_at <= timezone.now(),
    }
    return render(request, "meetings/meeting_detail.html", context)


@login_required
@require_POST
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(request.user, pk)
    form = AttendanceForm(request.POST, meeting=meeting)
    if form.is_valid():
        done = call_service(
            form,
            services.meeting_update,
            actor=request.user,
            meeting=meeting,
            data={},
            present_members=list(form.cleaned_data["present"]),
        )
        if done is not None:
            messages.success(request, _("Attendance was saved."))
            return redirect("meeting_detail", pk=meeting.pk)
    messages.error(request, _("Attendance could not be saved."))
    return redirect("meeting_detail", pk=meeting.pk)


def _service_message(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_POST
def agenda_send(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(request.user, pk)
    try:
        services.agenda_send(actor=request.user, meeting=meeting)
    except ValidationError as error:
        _service_message(request, error)
    else:
        messages.success(request, _("The agenda was sent to the members."))
    return redirect("meeting_detail", pk=meeting.pk)


@login_required
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(request.user, pk)
    form = ItemForm(request.POST or None, user=request.user)
    if form.is_valid():
        item = call_service(
            form, services.agenda_item_add, actor=request.user, meeting=meeting, **form.cleaned_data
        )
        if item is not None:
            messages.success(request, _("The item was added to the agenda."))
            return redirect("meeting_detail", pk=meeting.pk)
    return render(request, "meetings/item_form.html", {"form": form, "meeting": meeting})


@login_required
def item_propose(request: HttpRequest) -> HttpResponse:
    """A coordinator proposes an item about their case for a coming meeting."""
    initial = {"case": request.GET.get("case", "")[:40]}
    form = ProposeForm(request.POST or None, user=request.user, initial=initial)
    if form.is_valid():
        data = dict(form.cleaned_data)
        if not access.can_propose_item(request.user, data["case"]):
            form.add_error(
                "case", _("Only the case's coordinator and the committee propose items.")
            )
        else:
            item = call_service(form, services.agenda_item_propose, actor=request.user, **data)
            if item is not None:
                messages.success(request, _("Your proposal was sent to the secretariat."))
                return redirect("case_detail", reference=item.case.reference)
    return render(request, "meetings/propose_form.html", {"form": form})


@login_required
@require_POST
def item_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get_for_user(request.user, pk)
    if not access.can_prepare_meetings(request.user):
        raise PermissionDenied
    order = list(
        item.meeting.items.exclude(state=ItemState.DECLINED)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    index = order.index(item.pk)
    other = index - 1 if request.POST.get("direction") == "up" else index + 1
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
        services.agenda_order(actor=request.user, meeting=item.meeting, item_ids=order)
    return redirect(reverse("meeting_detail", kwargs={"pk": item.meeting_id}) + f"#item-{pk}")


@login_required
@require_POST
def item_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get_for_user(request.user, pk)
    take_up = request.POST.get("decision") == "take_up"
    form = DeclineForm(request.POST)
    reason = form.data.get("reason", "")[:2000] if not take_up else ""
    try:
        services.agenda_item_decide(actor=request.user, item=item, take_up=take_up, reason=reason)
    except ValidationError as error:
        _service_message(request, error)
    else:
        messages.success(
            request, _("The item is on the agenda.") if take_up else _("The item was not taken up.")
        )
    return redirect("meeting_detail", pk=item.meeting_id)


@login_required
def item_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the item's minutes; once adjusted, only a correction (a new version) is possible."""
    item = selectors.item_get_for_user(request.user, pk)
    if not access.can_prepare_meetings(request.user):
        raise PermissionDenied
    versions = list(item.minutes.select_related("written_by", "adjusted_by").order_by("-number"))
    latest = versions[0] if versions else None
    correcting = latest is not None and latest.is_adjusted
    form_class = CorrectionForm if correcting else MinutesForm
    initial = {"text": latest.text} if latest else {}
    form = form_class(request.POST or None, initial=initial)
    if form.is_valid():
        if correcting:
            saved = call_service(
                form, services.minutes_correct, actor=request.user, item=item, **form.cleaned_data
            )
        else:
            saved = call_service(
                form, services.minutes_write, actor=request.user, item=item, **form.cleaned_data
            )
        if saved is not None:
            messages.success(request, _("The minutes were saved."))
            return redirect(
                reverse("meeting_detail", kwargs={"pk": item.meeting_id}) + f"#item-{pk}"
            )
    context = {
        "form": form,
        "item": item,
        "meeting": item.meeting,
        "versions": versions,
        "correcting": correcting,
    }
    return render(request, "meetings/minutes_form.html", context)


@login_required
@require_POST
def minutes_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.minutes_version_get_for_user(request.user, pk)
    try:
        services.minutes_adjust(actor=request.user, version=version)
    except ValidationError as error:
        _service_message(request, error)
    else:
        messages.success(request, _("The minutes were adjusted and are now locked."))
    url = reverse("meeting_detail", kwargs={"pk": version.item.meeting_id})
    return redirect(f"{url}#item-{version.item_id}")


@login_required
def calendar_settings(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(actor=request.user)
            messages.success(request, _("The calendar address no longer works."))
        else:
            services.calendar_feed_create(actor=request.user)
            messages.success(request, _("A new calendar address was made."))
        return redirect("calendar_settings")
    feed = selectors.live_calendar_feed(request.user)
    url = (
        request.build_absolute_uri(reverse("calendar_feed", kwargs={"token": feed.token}))
        if feed
        else ""
    )
    return render(request, "meetings/calendar_settings.html", {"feed": feed, "feed_url": url})


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The personal feed, read by calendar programs without a session: the secret address is
    the key, and the same access rules as the pages decide what is in it."""
    user = selectors.calendar_feed_owner(token)
    body = personal_feed(selectors.feed_actions(user), selectors.feed_meetings(user))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
