"""Anonymous visitors and outsiders read roles and organisations, never people's names or
e-mail addresses: a crawl of every public page and of the open API finds none."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient

from cases.models import Case

MAX_PAGES = 80
SKIPPED = ("/accounts/", "/admin/", "/i18n/", "/static/", "/api/", "/dev/", "/favicon")
LINK = re.compile(r'href="([^"#]+)"')


def _people_words(except_user=None) -> list[str]:  # type: ignore[no-untyped-def]
    """Every demo person's full name, e-mail address and (as a word) surname."""
    words = []
    for user in get_user_model().objects.exclude(pk=getattr(except_user, "pk", None)):
        words += [re.escape(user.get_full_name()), re.escape(user.email)]
        if len(user.last_name) > 4:  # "Ek" is part of too many words
            words.append(rf"\b{re.escape(user.last_name)}\b")
    return [w for w in words if w]


def _crawl(client: Client, start: str) -> dict[str, str]:
    """Pages reachable from `start` by links (bounded), path -> HTML."""
    seen: dict[str, str] = {}
    queue = deque([start])
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            seen[path] = ""
            continue
        html = response.content.decode()
        seen[path] = html
        for link in LINK.findall(html):
            url = urldefrag(link.replace("&amp;", "&"))[0]
            parsed = urlparse(url)
            if parsed.netloc or not parsed.path.startswith("/"):
                continue
            if not parsed.path.startswith(SKIPPED) and url not in seen:
                queue.append(url)
    return seen


def _api_documents(client: APIClient) -> dict[str, str]:
    """The open API: the case list and, for each readable case, everything under it."""
    documents = {}
    cases = client.get("/api/v1/cases/?page_size=100").json()["results"]
    for case in cases:
        pk = case["id"]
        paths = [
            f"/api/v1/cases/{pk}/",
            f"/api/v1/cases/{pk}/history/?page_size=100",
            f"/api/v1/cases/{pk}/participations/",
            f"/api/v1/actions/?case={pk}&page_size=100",
            f"/api/v1/outcomes/?case={pk}&page_size=100",
        ]
        for action in client.get(f"/api/v1/actions/?case={pk}&page_size=100").json()["results"]:
            paths.append(f"/api/v1/actions/{action['id']}/updates/")
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            documents[path] = response.content.decode()
    documents["/api/v1/cases/"] = str(cases)
    return documents


def _named(documents: dict[str, str], words: list[str]) -> list[tuple[str, str]]:
    return [(path, w) for path, text in documents.items() for w in words if re.search(w, text)]


@pytest.fixture
def public_case_with_people(demo) -> Case:  # type: ignore[no-untyped-def]
    """The public case, with a coordinator, a contact person and an update by a named person."""
    from cases.models import ActionUpdate, Participation

    case = demo.public
    assert case.visibility == "public"
    participation = Participation.objects.filter(case=case, state="active").first()
    assert participation is not None
    return case, participation, ActionUpdate


def test_an_anonymous_crawl_of_every_public_page_finds_no_name_or_email(demo) -> None:
    pages = _crawl(Client(HTTP_ACCEPT_LANGUAGE="en"), "/cases/")
    case_pages = [p for p in pages if p.startswith(f"/cases/{demo.public.reference}/")]
    assert case_pages and any(p.startswith("/actions/") for p in pages), sorted(pages)
    assert _named(pages, _people_words()) == []
    # What they read instead: role and organisation.
    detail = pages[f"/cases/{demo.public.reference}/"]
    assert "Coordinator, " in detail or "Samordnare, " in detail


def test_an_outsiders_crawl_finds_no_name_but_their_own(demo) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(demo.eve)
    pages = _crawl(client, "/cases/")
    assert any(p.startswith(f"/cases/{demo.public.reference}/") for p in pages)
    assert _named(pages, _people_words(except_user=demo.eve)) == []


def test_the_open_api_names_nobody_to_anonymous_clients_and_outsiders(demo) -> None:
    anonymous = APIClient()
    assert _named(_api_documents(anonymous), _people_words()) == []
    outsider = APIClient()
    outsider.force_authenticate(demo.eve)
    assert _named(_api_documents(outsider), _people_words(except_user=demo.eve)) == []


def test_participants_still_read_names(demo, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(demo.anna)
    page = client.get(f"/cases/{demo.youth.reference}/").content.decode()
    assert demo.carl.get_full_name() in page  # the coordinator, by name
