"""The closed case's page and the follow-up report form: what they show, and what they cost."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Case
from followups.models import FollowUp

pytestmark = pytest.mark.django_db

# The demo's closed case (no actions, no decisions: fewer than CASE_PAGE_QUERIES) costs 41 as
# any closed case, and one more for its follow-ups: read once for the "Did the effect hold?"
# section and for whether each value shown is a follow-up answer (reviewable after closing);
# and one for the trust section's "has the reader's organisation answered?" (the reader's
# memberships, not read earlier on a case without actions); and two for its lessons learned (the
# case's lessons, and the request to its coordinator that closing made).
CLOSED_CASE_PAGE_QUERIES = 45
LIST_QUERIES = 6


def _demo_case() -> Case:
    return Case.objects.get(title__startswith="Trygga skolvägar")


def test_the_closed_case_page_costs_one_query_more_for_its_effect_section(
    demo, client_for, django_assert_num_queries
) -> None:
    client = client_for(demo.anna)
    url = reverse("case_detail", args=[_demo_case().reference])
    with django_assert_num_queries(CLOSED_CASE_PAGE_QUERIES):
        assert client.get(url).status_code == 200


def test_the_follow_up_list_costs_the_same_for_any_number_of_points(
    demo, api, django_assert_num_queries
) -> None:
    case = _demo_case()
    client = api(demo.anna)
    with django_assert_num_queries(LIST_QUERIES):
        body = client.get(f"/api/v1/cases/{case.reference}/followups/").json()
    assert [(row["months"], row["verdict"]) for row in body["results"][:2]] == [
        (6, "held"),
        (6, "held"),
    ]
    assert body["count"] == 6


def test_the_report_form_is_for_the_lead_organisation_when_the_point_is_due(
    demo, client_for
) -> None:
    case = _demo_case()
    point = FollowUp.objects.get(case=case, months=12, outcome__title__startswith="Färre rån")
    url = reverse("followup_report", args=[case.reference, point.pk])
    malik = demo.malik  # Malmö stad leads the case
    assert client_for(malik).get(url).status_code == 200
    assert client_for(demo.petra).get(url).status_code == 404  # she does not see the case
    later = FollowUp.objects.get(case=case, months=24, outcome=point.outcome)
    later_url = reverse("followup_report", args=[case.reference, later.pk])
    assert client_for(malik).get(later_url).status_code == 403
