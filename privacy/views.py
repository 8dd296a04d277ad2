from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from .export import personal_data_json


@login_required
def personal_data_download(request: HttpRequest) -> StreamingHttpResponse:
    """The signed-in user's own data as a JSON file (streamed, never built whole)."""
    response = StreamingHttpResponse(
        personal_data_json(request.user), content_type="application/json; charset=utf-8"
    )
    filename = f"samverkan-personal-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
