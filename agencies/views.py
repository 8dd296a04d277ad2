"""Organisation directory and organisation page."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from cases.selectors import organisation_cases_for_user
from cases.views.common import paginate, query_without_page

from .choices import OrganisationKind
from .models import Organisation
from .selectors import organisation_list, organisation_members, user_is_organisation_admin


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any")), *OrganisationKind.choices]
    )


def organisation_directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    organisations = organisation_list(kind=data.get("kind") or None, search=data.get("q") or None)
    context = {
        "form": form,
        "page": paginate(request, organisations.order_by("name"), per_page=50),
        "query": query_without_page(request),
    }
    return render(request, "agencies/directory.html", context)


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.active(), pk=pk)
    is_admin = user_is_organisation_admin(request.user, organisation.pk)
    context = {
        "organisation": organisation,
        "cases": organisation_cases_for_user(request.user, organisation_id=organisation.pk),
        "members": organisation_members(organisation=organisation) if is_admin else None,
    }
    return render(request, "agencies/organisation_detail.html", context)
