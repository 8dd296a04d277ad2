"""Pages of lessons learned: the library (open to all, each reader sees the lessons of the cases
they may see), one lesson, recording and editing one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cases import selectors as case_selectors
from cases.views.common import call_service, paginate, query_without_page

from . import selectors, services
from .forms import LessonForm, LibraryForm

PAGE_SIZE = 25


def lesson_library(request: HttpRequest) -> HttpResponse:
    """Lessons by words, theme and sector mix, each with its case's outcomes as evidence."""
    form = LibraryForm(request.GET or None, mixes=selectors.sector_mixes())
    filters = {"q": "", "theme": "", "sector_mix": ""}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "q": data["q"] or "",
            "theme": data["theme"].slug if data["theme"] else "",
            "sector_mix": data["sector_mix"] or "",
        }
    case = request.GET.get("case", "")[:20]
    rows = selectors.lesson_library(request.user, case=case, **filters)
    page = paginate(request, rows, PAGE_SIZE)
    lessons = list(page)
    selectors.evidence_for(lessons)
    context = {
        "form": form,
        "page": page,
        "lessons": lessons,
        "searched": any(filters.values()) or bool(case),
        "query": query_without_page(request),
    }
    return render(request, "lessons/library.html", context)


def lesson_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = selectors.lesson_get_for_user(request.user, pk=pk)
    selectors.evidence_for([lesson])
    context = {"lesson": lesson, "can_edit": services.can_edit_lesson(request.user, lesson)}
    return render(request, "lessons/detail.html", context)


@login_required
def lesson_record(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_selectors.case_get_for_user(request.user, reference=reference)
    if not services.can_record_lesson(request.user, case):
        raise PermissionDenied
    form = LessonForm(request.POST or None)
    if form.is_valid():
        lesson = call_service(
            form, services.lesson_record, actor=request.user, case=case, **form.cleaned_data
        )
        if lesson is not None:
            messages.success(request, _("The lesson was recorded. Thank you."))
            return redirect("lesson_detail", pk=lesson.pk)
    return render(request, "lessons/form.html", {"form": form, "case": case})


@login_required
def lesson_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = selectors.lesson_get_for_user(request.user, pk=pk)
    if not services.can_edit_lesson(request.user, lesson):
        raise PermissionDenied
    initial = {
        "way_of_working": lesson.way_of_working,
        "what_worked": lesson.what_worked,
        "what_did_not": lesson.what_did_not,
    }
    form = LessonForm(request.POST or None, initial=initial)
    if form.is_valid():
        done = call_service(
            form, services.lesson_update, actor=request.user, lesson=lesson, **form.cleaned_data
        )
        if done is not None:
            messages.success(request, _("The lesson was changed."))
            return redirect("lesson_detail", pk=lesson.pk)
    context = {"form": form, "case": lesson.case, "editing": True}
    return render(request, "lessons/form.html", context)
