"""The pages of a measurement import: upload, then a preview to confirm."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cases import selectors as case_selectors
from cases.views.common import call_service

from . import services
from .forms import ImportConfirmForm, MeasurementImportForm
from .lists import MEASUREMENT_COLUMNS
from .reading import MAX_FILE_BYTES
from .selectors import measurement_import_get_for_user

PREVIEW_ROWS = 50
SHOWN = ("id", "outcome_id", "measured_on", "value", "organisation", "note")


@login_required
def measurement_import_upload(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_selectors.case_get_for_user(request.user, reference=reference)
    if not services.can_import_measurements(request.user, case):
        raise PermissionDenied(
            _("You may import measurements only into a case your organisation takes part in.")
        )
    form = MeasurementImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = call_service(
            form,
            services.measurement_import_prepare,
            actor=request.user,
            case=case,
            file_name=upload.name,
            data=upload.read(MAX_FILE_BYTES + 1),
        )
        if batch is not None:
            return redirect("measurement_import_preview", pk=batch.pk)
    context = {"case": case, "form": form}
    return render(
        request, "exports/import_upload.html", context, status=400 if form.errors else 200
    )


def _action_labels() -> dict[str, str]:
    return {
        services.NEW: _("New value"),
        services.CORRECTION: _("Correction"),
        services.UNCHANGED: _("Unchanged"),
        services.INVALID: _("Error"),
    }


def _shown_rows(rows: list[dict], labels: dict[str, object]) -> list[dict]:
    """The page's rows as the preview table shows them: cells as read, errors by column."""
    actions = _action_labels()
    return [
        {
            "line": row["line"],
            "action": row.get("action", services.INVALID),
            "action_label": actions[row.get("action", services.INVALID)],
            "cells": [row["shown"].get(key, "") for key in SHOWN],
            "errors": [
                (labels.get(key, labels["row"]), message)
                for key, found in row.get("errors", {}).items()
                for message in found
            ],
        }
        for row in rows
    ]


def _preview_context(request: HttpRequest, batch: object, form: ImportConfirmForm) -> dict:
    rows = batch.rows
    labels = {column.key: column.label for column in MEASUREMENT_COLUMNS}
    labels["row"] = _("Row")
    page = Paginator(rows, PREVIEW_ROWS).get_page(request.GET.get("page"))
    page.object_list = _shown_rows(list(page.object_list), labels)
    summary = services.import_summary(rows)
    return {
        "case": batch.case,
        "batch": batch,
        "summary": summary,
        "page": page,
        "headers": [labels[key] for key in SHOWN],
        "form": form,
        "needs_reason": summary["correction"] > 0,
        "can_confirm": batch.confirmed_at is None and summary["invalid"] == 0,
    }


@login_required
def measurement_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """What the file would do, row by row; nothing is written until the uploader confirms."""
    batch = measurement_import_get_for_user(request.user, pk=pk)
    form = ImportConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form,
            services.measurement_import_confirm,
            actor=request.user,
            measurement_import=batch,
            reason=form.cleaned_data["reason"],
        )
        if done is not None:
            summary = services.import_summary(done.rows)
            messages.success(
                request,
                _("Imported: %(new)s new values and %(corrected)s corrections.")
                % {"new": summary["new"], "corrected": summary["correction"]},
            )
            return redirect(reverse("case_detail", args=[batch.case.reference]) + "#outcomes")
    context = _preview_context(request, batch, form)
    return render(
        request, "exports/import_preview.html", context, status=400 if form.errors else 200
    )
