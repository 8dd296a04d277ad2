"""Attachment pages: an owner's files, attaching, a file's versions, replacing, removing, and
downloads (only through here, with the owner page's access rule)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cases.views.common import call_service, paginate

from . import access, selectors, services
from .downloads import version_response
from .forms import AttachmentForm, RemoveForm, ReplaceForm
from .owners import owner_for


def _deny_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _owner_context(kind: str, owner: Any) -> dict[str, Any]:
    registered = owner_for(kind)
    return {
        "owner": owner,
        "owner_kind": kind,
        "owner_url": registered.url(owner),
        "owner_label": registered.label(owner),
        "case": registered.case_of(owner),
    }


def _upload_status(form: AttachmentForm) -> int:
    """413 when the file was stopped for its size, 400 for another refusal, else 200."""
    if form.is_bound and form.refused_for_size:
        return 413
    return 400 if form.is_bound and form.errors else 200


def attachment_list(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    owner = selectors.owner_get_for_user(request.user, kind=kind, pk=pk)
    page = paginate(request, selectors.owner_attachments(owner))
    context = {
        **_owner_context(kind, owner),
        "page": page,
        "can_attach": access.can_attach(request.user, owner, kind),
    }
    return render(request, "documents/attachment_list.html", context)


@login_required
def attachment_add(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    owner = selectors.owner_get_for_user(request.user, kind=kind, pk=pk)
    _deny_unless(access.can_attach(request.user, owner, kind))
    data = (request.POST, request.FILES) if request.method == "POST" else (None,)
    form = AttachmentForm(*data, request=request)
    if form.is_valid():
        attachment = call_service(
            form,
            services.attachment_add,
            actor=request.user,
            owner=owner,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
        )
        if attachment is not None:
            messages.success(request, _("The file was attached."))
            return redirect("attachment_detail", pk=attachment.pk)
    context = {**_owner_context(kind, owner), "form": form}
    return render(request, "documents/attachment_form.html", context, status=_upload_status(form))


def attachment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = selectors.attachment_get_for_user(request.user, pk=pk)
    owner = access.attachment_owner(attachment)
    context = {
        **_owner_context(attachment.owner_kind, owner),
        "attachment": attachment,
        "page": paginate(request, selectors.attachment_versions(attachment)),
        "can_replace": access.can_replace_attachment(request.user, attachment),
        "can_remove": access.can_remove_attachment(request.user, attachment),
    }
    return render(request, "documents/attachment_detail.html", context)


@login_required
def attachment_replace(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = selectors.attachment_get_for_user(request.user, pk=pk)
    _deny_unless(access.can_replace_attachment(request.user, attachment))
    data = (request.POST, request.FILES) if request.method == "POST" else (None,)
    form = ReplaceForm(*data, request=request)
    if form.is_valid():
        replaced = call_service(
            form,
            services.attachment_replace,
            actor=request.user,
            attachment=attachment,
            file=form.cleaned_data["file"],
            title=form.cleaned_data.get("title", ""),
        )
        if replaced is not None:
            messages.success(request, _("The new version was saved; the earlier one is kept."))
            return redirect("attachment_detail", pk=attachment.pk)
    context = {
        **_owner_context(attachment.owner_kind, access.attachment_owner(attachment)),
        "form": form,
        "attachment": attachment,
    }
    return render(request, "documents/attachment_form.html", context, status=_upload_status(form))


@login_required
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = selectors.attachment_get_for_user(request.user, pk=pk)
    _deny_unless(access.can_remove_attachment(request.user, attachment))
    owner = access.attachment_owner(attachment)
    form = RemoveForm(request.POST or None)
    if form.is_valid():
        done = call_service(
            form,
            services.attachment_remove,
            actor=request.user,
            attachment=attachment,
            reason=form.cleaned_data["reason"],
        )
        if done is not None:
            messages.success(request, _("The file was removed."))
            return redirect(owner_for(attachment.owner_kind).url(owner))
    context = {
        **_owner_context(attachment.owner_kind, owner),
        "form": form,
        "attachment": attachment,
    }
    return render(request, "documents/attachment_remove.html", context)


def attachment_download(request: HttpRequest, pk: int, number: int | None = None) -> HttpResponse:
    version = selectors.version_get_for_user(request.user, pk=pk, number=number)
    return version_response(version)
