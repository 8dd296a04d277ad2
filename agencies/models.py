from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .choices import MembershipRole, OrganisationKind
from .search import search_text_for
from .validators import (
    normalise_organisation_number,
    validate_municipality_code,
    validate_region_code,
)


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def active(self) -> OrganisationQuerySet:
        return self.filter(is_active=True)

    def regional_authorities(self) -> OrganisationQuerySet:
        """The 21 bodies with regional duties: 20 regions plus Gotland's municipality."""
        return self.filter(Q(kind=OrganisationKind.REGION) | Q(has_regional_duties=True))


class Organisation(models.Model):
    """A state agency, municipality, region, civil-society or other organisation."""

    name = models.CharField(
        _("name"), max_length=200, help_text=_("The name users know the organisation by.")
    )
    legal_name = models.CharField(
        _("legal name"),
        max_length=200,
        blank=True,
        help_text=_("The registered name, e.g. Stockholms kommun for Stockholms stad."),
    )
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=11,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Swedish organisationsnummer, NNNNNN-NNNN."),
    )
    municipality_code = models.CharField(
        _("municipality code"),
        max_length=4,
        blank=True,
        validators=[validate_municipality_code],
        help_text=_("Kommunkod, four digits; municipalities only."),
    )
    region_code = models.CharField(
        _("county code"),
        max_length=2,
        blank=True,
        validators=[validate_region_code],
        help_text=_(
            "Länskod, two digits: the region itself, or the county a municipality lies in."
        ),
    )
    has_regional_duties = models.BooleanField(
        _("has regional duties"),
        default=False,
        help_text=_("A municipality that also carries a region's duties (Region Gotland)."),
    )
    ministry = models.CharField(_("ministry"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    password_sign_in = models.BooleanField(
        _("password sign-in allowed"),
        default=True,
        help_text=_(
            "Off: the organisation's members sign in only through its identity provider "
            "(single sign-on); operators keep their password."
        ),
    )
    reference_key = models.CharField(
        max_length=40,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("Key of the shipped reference data row this organisation was loaded from."),
    )

    # Folded names and codes the pickers search (agencies.search); kept in step by save().
    search_text = models.TextField(blank=True, editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality_code"],
                condition=Q(kind="municipality"),
                name="unique_municipality_code",
            ),
            models.UniqueConstraint(
                fields=["region_code"], condition=Q(kind="region"), name="unique_region_code"
            ),
        ]
        indexes = [models.Index(fields=["kind", "region_code"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = search_text_for(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.organisation_number:
            try:
                self.organisation_number = normalise_organisation_number(self.organisation_number)
            except ValidationError as error:
                errors["organisation_number"] = error.messages
        else:
            self.organisation_number = None
        if self.kind == OrganisationKind.MUNICIPALITY:
            if not self.municipality_code:
                errors["municipality_code"] = [_("A municipality needs its municipality code.")]
            if not self.region_code:
                errors["region_code"] = [_("A municipality needs the code of its county.")]
        elif self.municipality_code:
            errors["municipality_code"] = [_("Only municipalities have a municipality code.")]
        if self.kind == OrganisationKind.REGION and not self.region_code:
            errors["region_code"] = [_("A region needs its county code.")]
        if self.has_regional_duties and self.kind != OrganisationKind.MUNICIPALITY:
            errors["has_regional_duties"] = [
                _("Only a municipality can carry a region's duties; a region has them already.")
            ]
        if errors:
            raise ValidationError(errors)


class Membership(models.Model):
    """A user's membership of an organisation, as member or admin."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 hash is stored, the secret is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Which password the token belongs to (agencies.services.password_fingerprint): a token
    # whose user's password hash has changed since is dead, whichever way it was changed.
    password_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class SignInPolicyChange(models.Model):
    """An organisation admin switched password sign-in for its members on or off: who, when."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="sign_in_changes"
    )
    password_sign_in = models.BooleanField(_("password sign-in allowed"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sign-in change")
        verbose_name_plural = _("sign-in changes")
        indexes = [
            models.Index(fields=["organisation", "-changed_at"], name="sign_in_change_newest")
        ]

    def __str__(self) -> str:
        state = "on" if self.password_sign_in else "off"
        return f"{self.organisation}: password sign-in {state}"
