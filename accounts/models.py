"""Accounts' own tables: the link between a user and their identity at an identity provider."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProviderIdentity(models.Model):
    """A user's stable subject at one OpenID Connect provider (issuer + hashed sub), no more."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_identities"
    )
    issuer = models.URLField(_("issuer"), max_length=300)
    # The SHA-256 of the provider's `sub` (accounts.services.subject_key), never `sub` itself.
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("identity at a provider")
        verbose_name_plural = _("identities at providers")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="unique_provider_subject")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.issuer}"
