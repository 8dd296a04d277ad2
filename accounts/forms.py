from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from .selectors import password_sign_in_allowed

CODE_ATTRS = {"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}


class SignInCodeForm(forms.Form):
    """The second step of signing in: a code from the app or one recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "The six digits your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(attrs=CODE_ATTRS),
    )


class AppCodeForm(forms.Form):
    """A code from the authenticator app being set up (it proves the app has the secret)."""

    code = forms.CharField(
        label=_("Code from the app"),
        max_length=20,
        help_text=_("Six digits. The code changes every 30 seconds."),
        widget=forms.TextInput(attrs={**CODE_ATTRS, "inputmode": "numeric"}),
    )


class ConfirmWithCodeForm(SignInCodeForm):
    """Removing the second factor asks for a current code, so a borrowed session cannot."""


class SignInForm(AuthenticationForm):
    """User name and password; refused to members of an organisation that signs in only via SSO."""

    def confirm_login_allowed(self, user: AbstractBaseUser) -> None:
        super().confirm_login_allowed(user)
        if not password_sign_in_allowed(user):
            raise forms.ValidationError(
                _(
                    "Your organisation signs in through its own identity provider, not with a "
                    "password. Use the single sign-on button on this page."
                ),
                code="password_sign_in_off",
            )
