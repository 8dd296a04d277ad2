from __future__ import annotations

from django.urls import URLPattern, path

from .oidc import ProviderCallbackView, ProviderSignInView
from .views import signin, two_factor
from .views.sign_out import SignOutView

urlpatterns: list[URLPattern] = [
    # Before django.contrib.auth.urls (config/urls.py): the same name, with the code step added.
    path("accounts/login/", signin.SignInView.as_view(), name="login"),
    path("accounts/logout/", SignOutView.as_view(), name="logout"),
    path("oidc/sign-in/", ProviderSignInView.as_view(), name="oidc_authentication_init"),
    path("oidc/sign-in/<slug:slug>/", ProviderSignInView.as_view(), name="oidc_provider_sign_in"),
    path("oidc/callback/", ProviderCallbackView.as_view(), name="oidc_authentication_callback"),
    path("accounts/login/code/", signin.sign_in_code, name="sign_in_code"),
    path("account/two-factor/", two_factor.two_factor, name="two_factor"),
    path("account/two-factor/set-up/", two_factor.two_factor_setup, name="two_factor_setup"),
    path(
        "account/two-factor/remove/",
        two_factor.two_factor_remove_view,
        name="two_factor_remove",
    ),
]
