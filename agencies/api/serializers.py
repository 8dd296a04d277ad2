from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import serializers

from agencies.models import ApiToken, Membership, Organisation
from agencies.services import ORGANISATION_FIELDS
from config.api.fields import StrictCharField


class OrganisationSerializer(serializers.ModelSerializer):
    # Blank when unknown, so not declared as uri/email formats (an empty string is neither).
    website = serializers.CharField(read_only=True)
    contact_email = serializers.CharField(read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", *ORGANISATION_FIELDS]
        read_only_fields = fields


class UserSummarySerializer(serializers.ModelSerializer):
    """How a user appears inside other objects: id and name only."""

    name = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "name"]
        read_only_fields = fields

    def get_name(self, user) -> str:  # type: ignore[no-untyped-def]
        return user.get_full_name() or user.get_username()


class MembershipSerializer(serializers.ModelSerializer):
    organisation = OrganisationSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["organisation", "role"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    memberships = MembershipSerializer(many=True, read_only=True)
    is_committee = serializers.BooleanField(read_only=True)

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "name", "email", "is_committee", "memberships"]
        read_only_fields = fields

    def get_name(self, user) -> str:  # type: ignore[no-untyped-def]
        return user.get_full_name() or user.get_username()


class ApiTokenSerializer(serializers.ModelSerializer):
    name = StrictCharField(max_length=100, allow_blank=False, trim_whitespace=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
        read_only_fields = ["id", "prefix", "created_at", "last_used_at", "revoked_at"]


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    token = serializers.CharField(read_only=True, help_text="The secret, shown only this once.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]
        read_only_fields = fields
