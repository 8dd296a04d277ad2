from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


class Pagination(PageNumberPagination):
    """Page numbers with a client-chosen `page_size`, bounded so no request is unbounded.

    A `page_size` outside 1…100 is a 400 naming it, as the schema documents; DRF's default
    silently falls back to 25 for a bad value and clamps a large one, which a client cannot
    tell from a short last page.
    """

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    last_page_strings = ()  # the schema documents `page` as a number; "last" would be a 200

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        # DRF reads an empty `page=` as page 1; like any other non-number it names no page.
        raw = request.query_params.get(self.page_query_param)
        if raw == "":
            raise NotFound(self.invalid_page_message.format(page_number=raw, message=""))
        return super().get_page_number(request, paginator)

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        value = int(raw) if raw.isascii() and raw.isdigit() else 0
        if not 1 <= value <= self.max_page_size:
            message = _("A whole number from 1 to %(max)d.") % {"max": self.max_page_size}
            raise ValidationError({self.page_size_query_param: [message]})
        return value

    # Schema descriptions are for developers and stay in English, like the rest of the schema.
    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = "A page number from 1; a page past the last is a 404."
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(
                    minimum=1, maximum=self.max_page_size, default=self.page_size
                )
                parameter["description"] = (
                    f"Results per page, 1 to {self.max_page_size}; outside that range is a 400."
                )
        return parameters
