"""Every experience page costs the same with many experiences as with a few; the case page's
section costs one query."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from citizens import services
from citizens.choices import ExperienceKind
from citizens.templatetags.experiences import case_experiences_section

pytestmark = pytest.mark.django_db


def _add(demo, count: int, *, publish: bool) -> None:
    for n in range(count):
        experience = services.experience_submit(
            case=demo.public,
            kind=ExperienceKind.SUGGESTION,
            text=f"Förslag {n}",
            contact_email=f"person{n}@example.org",
        )
        if publish:
            services.experience_publish(actor=demo.anna, experience=experience)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("persona", ["anna", None])
def test_the_case_page_section_is_one_query(demo, persona) -> None:
    request = RequestFactory().get("/")
    request.user = getattr(demo, persona) if persona else AnonymousUser()
    request.user._is_committee = persona == "anna"  # the case page has asked this already
    with CaptureQueriesContext(connection) as captured:
        section = case_experiences_section({"request": request}, demo.public)
    assert len(captured) == 1
    assert section["summary"]["published"] == 2  # the demo's


def test_a_restricted_case_page_makes_no_query_for_it(demo) -> None:
    request = RequestFactory().get("/")
    request.user = demo.anna
    with CaptureQueriesContext(connection) as captured:
        assert case_experiences_section({"request": request}, demo.youth) == {"hidden": True}
    assert len(captured) == 0


@pytest.mark.parametrize(
    ("page", "publish"),
    [("case_experiences", True), ("case_experience_queue", False), ("experience_queue", False)],
)
def test_pages_cost_the_same_with_many_experiences(demo, client_for, page, publish) -> None:
    client = client_for(demo.anna)
    url = (
        reverse(page) if page == "experience_queue" else reverse(page, args=[demo.public.reference])
    )
    few = _queries(client, url)
    _add(demo, 40, publish=publish)
    assert _queries(client, url) == few


def test_the_public_case_page_costs_the_same_with_many_experiences(demo) -> None:
    url = reverse("case_detail", args=[demo.public.reference])
    few = _queries(Client(), url)
    _add(demo, 30, publish=True)
    assert _queries(Client(), url) == few


def test_the_api_lists_cost_the_same_with_many_experiences(demo, api) -> None:
    public = f"/api/v1/public/cases/{demo.public.reference}/experiences/"
    client = api(demo.anna)
    _add(demo, 30, publish=True)  # more than a page: the pages are counted
    client.get(public)  # the token's first use is recorded once
    few = (_queries(client, public), _queries(client, "/api/v1/experiences/"))
    _add(demo, 40, publish=False)
    _add(demo, 30, publish=True)
    assert (_queries(client, public), _queries(client, "/api/v1/experiences/")) == few
