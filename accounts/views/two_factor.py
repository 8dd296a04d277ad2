"""Setting up, reviewing and removing a second factor (authenticator app, recovery codes)."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..forms import AppCodeForm, ConfirmWithCodeForm
from ..selectors import has_two_factor, recovery_codes_left, two_factor_required
from ..services import (
    normalise_code,
    two_factor_enrolment_confirm,
    two_factor_enrolment_start,
    two_factor_remove,
    two_factor_verify,
)


def _qr_svg(device: TOTPDevice) -> SafeString:
    """The set-up address as an inline SVG QR code (segno draws it here; nothing is fetched)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, border=4, light="#fff")
    label = escape(_("QR code for your authenticator app"))
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))


def _grouped_secret(device: TOTPDevice) -> str:
    """The secret in groups of four, as apps expect it typed."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Whether the user signs in with a second factor, and the way to set it up or remove it."""
    context = {
        "enrolled": has_two_factor(request.user),
        "required": two_factor_required(request.user),
        "recovery_codes_left": recovery_codes_left(request.user),
        "form": ConfirmWithCodeForm(),
    }
    return render(request, "accounts/two_factor.html", context)


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Scan or type the secret, prove it with a code; then the recovery codes, shown once."""
    if has_two_factor(request.user):
        return redirect("two_factor")
    device = two_factor_enrolment_start(user=request.user)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(normalise_code(form.cleaned_data["code"])):
            codes = two_factor_enrolment_confirm(user=request.user, device=device)
            otp_login(request, device)
            # Rendered in answer to the POST, never stored readable: reloading cannot show them.
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        form.add_error("code", _("That code is not right. Type the code the app shows now."))
    context = {
        "form": form,
        "qr": _qr_svg(device),
        "secret": _grouped_secret(device),
        "required": two_factor_required(request.user),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@require_POST
def two_factor_remove_view(request: HttpRequest) -> HttpResponse:
    """Remove the second factor after a current code (to set it up again on a new phone)."""
    form = ConfirmWithCodeForm(request.POST)
    if form.is_valid() and two_factor_verify(user=request.user, code=form.cleaned_data["code"]):
        two_factor_remove(user=request.user)
        messages.success(request, _("Two-factor sign-in is removed. You can set it up again."))
        return redirect("two_factor")
    if form.is_valid():
        form.add_error("code", _("That code is not right. Nothing was removed."))
    context = {
        "enrolled": True,
        "required": two_factor_required(request.user),
        "recovery_codes_left": recovery_codes_left(request.user),
        "form": form,
    }
    return render(request, "accounts/two_factor.html", context, status=400)
