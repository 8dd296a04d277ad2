from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """The claims an organisation's provider sends, a Swedish broker's identity number included."""

    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "personal_identity_number": "profile",
    }

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {
            "email": user.email,
            "email_verified": True,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "personal_identity_number": "198112189876",
        }
