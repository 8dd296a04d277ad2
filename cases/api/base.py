from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.serializers import Serializer

ID = r"\d+"


class ApiViewSet(viewsets.GenericViewSet):
    """Numeric ids in paths; nested lists paginated like top-level ones."""

    lookup_value_regex = ID
    idempotent_posts = True  # every POST handler here is wrapped by config.api.idempotency

    def paginated(
        self, rows: Sequence[Any], serializer_class: type[Serializer], **context: Any
    ) -> Response:
        """`context` adds to the serializer's (a case, so people appear as its readers may see
        them)."""
        page = self.paginate_queryset(rows)
        context = {**self.get_serializer_context(), **context}
        return self.get_paginated_response(serializer_class(page, many=True, context=context).data)

    def valid(self, serializer_class: type[Serializer], **kwargs: Any) -> dict[str, Any]:
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)
