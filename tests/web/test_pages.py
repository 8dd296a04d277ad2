from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_page_renders_for_the_committee(demo, client_for):
    client = client_for(demo.anna)
    outcome = demo.youth.outcomes.first()
    participation = demo.youth.participations.first()
    urls = [
        reverse("dashboard"),
        reverse("case_list"),
        reverse("case_list") + "?q=unga&status=active",
        reverse("case_create"),
        reverse("case_detail", args=[demo.youth.reference]),
        reverse("case_edit", args=[demo.youth.reference]),
        reverse("case_transition", args=[demo.youth.reference]),
        reverse("participation_invite", args=[demo.youth.reference]),
        reverse("action_create", args=[demo.youth.reference]),
        reverse("outcome_create", args=[demo.youth.reference]),
        reverse("action_detail", args=[demo.actions.picture.pk]),
        reverse("action_edit", args=[demo.actions.picture.pk]),
        reverse("measurement_report", args=[outcome.pk]),
        reverse("my_actions"),
        reverse("organisation_directory"),
        reverse("organisation_detail", args=[demo.orgs.police.pk]),
        reverse("inbox"),
        reverse("notification_preferences"),
        reverse("accessibility"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    assert participation is not None
