from __future__ import annotations

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """Page numbers with a client-chosen `page_size`, bounded so no request is unbounded."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
