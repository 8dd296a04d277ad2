"""Organisation directory and organisation page; the signed-in user's account page."""

from __future__ import annotations

import logging
import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetView
from django.core import signing
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from cases.selectors import organisation_cases_for_user
from cases.views.common import call_service, paginate, query_without_page
from config.api.middleware import client_address
from config.api.throttling import KeyedRateThrottle

from .choices import OrganisationKind
from .models import ApiToken, Organisation
from .person_picker import PersonScope, person_search
from .search import MAX_QUERY_LENGTH, organisation_search
from .selectors import (
    api_tokens_for_user,
    organisation_list,
    organisation_members,
    user_is_organisation_admin,
)
from .services import (
    api_token_revoke,
    organisation_password_sign_in_set,
    single_sign_on_configured,
)
from .widgets import PickerScope

logger = logging.getLogger(__name__)
PICKER_MATCHES = 20
STATUS_ID = re.compile(r"[A-Za-z][\w-]{0,99}")


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


class SignInForm(forms.Form):
    password_sign_in = forms.BooleanField(
        label=_("Members may sign in with a password"),
        required=False,
        help_text=_(
            "Untick to let the members sign in only through the organisation's identity "
            "provider (single sign-on). Operators keep their password."
        ),
    )


def organisation_detail(
    request: HttpRequest, pk: int, sign_in_form: SignInForm | None = None, status: int = 200
) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.active(), pk=pk)
    is_admin = user_is_organisation_admin(request.user, organisation.pk)
    context = {
        "organisation": organisation,
        "cases": organisation_cases_for_user(request.user, organisation_id=organisation.pk),
        "members": organisation_members(organisation=organisation) if is_admin else None,
    }
    if is_admin:
        context["sign_in_form"] = sign_in_form or SignInForm(
            initial={"password_sign_in": organisation.password_sign_in}
        )
        context["sign_in_change"] = (
            organisation.sign_in_changes.select_related("changed_by")
            .order_by("-changed_at")
            .first()
        )
        context["single_sign_on"] = single_sign_on_configured()
    return render(request, "agencies/organisation_detail.html", context, status=status)


@login_required
@require_POST
def organisation_sign_in(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation admin switches password sign-in for its members (404 to anyone else)."""
    organisation = get_object_or_404(Organisation.objects.active(), pk=pk)
    if not user_is_organisation_admin(request.user, organisation.pk):
        raise Http404("No such organisation")
    form = SignInForm(request.POST)
    if form.is_valid():
        allowed = form.cleaned_data["password_sign_in"]
        done = call_service(
            form,
            organisation_password_sign_in_set,
            actor=request.user,
            organisation=organisation,
            allowed=allowed,
        )
        if done is not None:
            messages.success(
                request,
                _("Members may sign in with a password.")
                if allowed
                else _("Members now sign in only through single sign-on."),
            )
            return redirect(reverse("organisation_detail", args=[pk]) + "#sign-in")
    return organisation_detail(request, pk, sign_in_form=form, status=400)


@login_required
def organisation_search_options(request: HttpRequest) -> HttpResponse:
    """A picker's matches (an htmx partial): at most PICKER_MATCHES, within the signed scope."""
    try:
        scope = PickerScope.unsign(request.GET.get("scope", ""))
    except (signing.BadSignature, ValueError, TypeError, AttributeError):
        return HttpResponseBadRequest("Bad picker scope.")
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    # One row more than shown tells whether there are more, without counting them all.
    found = list(organisation_search(scope.queryset(), query)[: PICKER_MATCHES + 1])
    status_id = request.GET.get("status", "")
    context = {
        "matches": found[:PICKER_MATCHES],
        "more": len(found) > PICKER_MATCHES,
        "query": query,
        "status_id": status_id if STATUS_ID.fullmatch(status_id) else "",
    }
    return render(request, "includes/picker_options.html", context)


@login_required
def person_search_options(request: HttpRequest) -> HttpResponse:
    """A person picker's matches (an htmx partial): at most PICKER_MATCHES, within its scope."""
    try:
        scope = PersonScope.unsign(request.GET.get("scope", ""))
    except (signing.BadSignature, ValueError, TypeError, AttributeError):
        return HttpResponseBadRequest("Bad picker scope.")
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    found = list(person_search(scope.queryset(), query)[: PICKER_MATCHES + 1]) if query else []
    status_id = request.GET.get("status", "")
    context = {
        "matches": found[:PICKER_MATCHES],
        "more": len(found) > PICKER_MATCHES,
        "query": query,
        "status_id": status_id if STATUS_ID.fullmatch(status_id) else "",
    }
    return render(request, "includes/person_picker_options.html", context)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Who I am, a link to change my password, and my personal API tokens."""
    page = paginate(request, api_tokens_for_user(request.user))
    return render(request, "agencies/account.html", {"tokens": page, "page": page})


@login_required
@require_POST
def account_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    # Only the user's own tokens exist here: anyone else's is a 404, like any invisible object.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke(user=request.user, token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("account")


class ThrottledPasswordResetView(PasswordResetView):
    """Django's reset form, but sending at most a few emails per address and per client.

    A throttled request gets exactly the answer of a sent one (the "check your email" page), so
    the form tells nobody whether an address exists or how often it was asked for.
    """

    def form_valid(self, form: forms.Form) -> HttpResponse:
        email = form.cleaned_data["email"].strip().lower()
        per_client = KeyedRateThrottle("password_reset_client", client_address(self.request))
        per_address = KeyedRateThrottle("password_reset_address", email)
        if per_client.allow() and per_address.allow():
            return super().form_valid(form)
        logger.warning("Password reset throttled for client %s", client_address(self.request))
        return HttpResponseRedirect(self.get_success_url())
