"""The Content Security Policy every page is served with (django-csp reads it per request).

Nothing inline: scripts and styles come from our own static files only, so an injected
`<script>`, `style=` or `on…=` does nothing. Images allow `data:` (Swagger UI's icons, SVG
backgrounds). Forms post only to Samverkan, and to the identity provider's end-session
addresses when single sign-on is on (sign-out's redirect there counts as the form's target).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

NONE = "'none'"
SELF = "'self'"


def origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def content_security_policy(
    *, provider_logout_endpoint: str = "", provider_logout_endpoints: list[str] | None = None
) -> dict[str, Any]:
    form_action = [SELF]
    for endpoint in [provider_logout_endpoint, *(provider_logout_endpoints or [])]:
        provider = origin(endpoint)
        if provider and provider not in form_action:
            form_action.append(provider)
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF],
            "style-src": [SELF],
            "img-src": [SELF, "data:"],
            "font-src": [SELF],
            "connect-src": [SELF],
            "object-src": [NONE],
            "base-uri": [SELF],
            "frame-ancestors": [NONE],
            "form-action": form_action,
        }
    }
