"""The open-data page, as the axe and keyboard tests visit it."""

from __future__ import annotations

from django.urls import reverse

from tests.browser.pages import PageType

PAGE_TYPES_OPENDATA = [
    PageType("open-data", None, lambda d: reverse("opendata_index")),
    PageType("open-data-signed-in", "eve", lambda d: reverse("opendata_index")),
]
