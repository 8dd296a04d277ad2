"""People in the API: names for the case's participants, role and organisation for others."""

from __future__ import annotations

from typing import Any

from agencies.api.serializers import UserSummarySerializer

from .people import role_label, sees_names


class PersonSerializer(UserSummarySerializer):
    """A user inside a case's data (`case` in the context). Anonymous clients and outsiders get
    no username and, as the name, the person's organisation ("Polismyndigheten")."""

    def to_representation(self, instance: Any) -> dict[str, Any]:
        request = self.context.get("request")
        case = self.context.get("case")
        if sees_names(getattr(request, "user", None), case):
            return super().to_representation(instance)
        return {"id": instance.pk, "username": "", "name": role_label(instance.pk, case=case)}
