from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """An id that must name an object the requesting user may see; others "do not exist".

    `queryset` names the model (for the schema); `visible(user)` gives what the user may see.
    """

    def __init__(self, *, visible: Callable[[Any], QuerySet], **kwargs: Any) -> None:
        self.visible = visible
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        request = self.context.get("request")
        if request is None:
            return self.queryset.none()
        return self.visible(request.user)
