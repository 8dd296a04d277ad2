"""The obstacle register's pages, as the axe and keyboard tests visit them."""

from __future__ import annotations

from django.urls import reverse

from learning.models import ObstacleGroup
from tests.browser.pages import PageType, submit_main_form_empty


def _group(demo) -> str:  # type: ignore[no-untyped-def]
    return reverse(
        "obstacle_group", args=[ObstacleGroup.objects.order_by("-case_count").first().pk]
    )


PAGE_TYPES_LEARNING = [
    PageType(
        "case-obstacles", "petra", lambda d: reverse("case_obstacles", args=[d.youth.reference])
    ),
    PageType(
        "obstacle-form", "petra", lambda d: reverse("obstacle_record", args=[d.youth.reference])
    ),
    PageType(
        "obstacle-form-errors",
        "petra",
        lambda d: reverse("obstacle_record", args=[d.youth.reference]),
        prepare=submit_main_form_empty,
    ),
    PageType("obstacle-register", "anna", lambda d: reverse("obstacle_register")),
    PageType("obstacle-group", "anna", _group),
]
