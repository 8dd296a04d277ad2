"""Erasing a person: their name leaves every page, the API and the history views; the history
itself stays whole."""

from __future__ import annotations

import re
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import HISTORY_TRACKERS
from notifications.models import Event

from .test_public_names import _api_documents, _crawl


def _history_count() -> int:
    return sum(model.history.model.objects.count() for model in HISTORY_TRACKERS)


def _petra_words(petra) -> list[str]:  # type: ignore[no-untyped-def]
    return [r"\bPetra\b", r"\bPersson\b", re.escape(petra.email), r"\bpetra\b"]


def _found(documents: dict[str, str], words: list[str]) -> list[tuple[str, str]]:
    return [(p, w) for p, text in documents.items() for w in words if re.search(w, text)]


def _admin_history_pages(client: Client, demo) -> dict[str, str]:  # type: ignore[no-untyped-def]
    pages = {}
    for path in (
        f"/admin/cases/case/{demo.youth.pk}/history/",
        f"/admin/cases/action/{demo.actions.picture.pk}/history/",
        f"/admin/auth/user/{demo.petra.pk}/change/",
        "/admin/auth/user/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = response.content.decode()
    return pages


def test_after_erasing_petra_her_name_is_nowhere_and_history_is_whole(demo) -> None:
    petra_words = _petra_words(demo.petra)
    anna = Client(HTTP_ACCEPT_LANGUAGE="en")
    anna.force_login(demo.anna)
    before = _crawl(anna, f"/cases/{demo.youth.reference}/")
    assert _found(before, petra_words), "the crawl must reach pages that name petra"
    history_before = _history_count()

    out = StringIO()
    call_command("person_erase", "petra", stdout=out)

    demo.petra.refresh_from_db()
    label = demo.petra.get_full_name()
    assert re.fullmatch(r"Former user [0-9a-f]{4}", label)
    assert _history_count() == history_before
    pages = _crawl(anna, f"/cases/{demo.youth.reference}/")
    pages.update(_crawl(anna, "/cases/"))
    assert _found(pages, petra_words) == []
    assert any(label in html for html in pages.values())
    api = APIClient()
    api.force_authenticate(demo.anna)
    assert _found(_api_documents(api), petra_words) == []
    operator = Client(HTTP_ACCEPT_LANGUAGE="en")
    operator.force_login(get_user_model().objects.get(username="admin"))
    assert _found(_admin_history_pages(operator, demo), petra_words) == []
    assert not Event.objects.filter(payload__assignee_name="Petra Persson").exists()
    assert _found(_exports(anna, demo), petra_words) == []


def test_an_erased_delegate_is_named_by_the_neutral_label_in_the_decisions_export(demo) -> None:
    """The one export that names a person: the delegate who decided (here anna)."""
    operator = Client(HTTP_ACCEPT_LANGUAGE="en")
    operator.force_login(get_user_model().objects.get(username="admin"))
    before = _exports(operator, demo)
    assert _found(before, [r"\bAnna Andersson\b"])
    call_command("person_erase", "anna", stdout=StringIO())
    demo.anna.refresh_from_db()
    after = _exports(operator, demo)
    assert _found(after, [r"\bAnna\b", r"\bAndersson\b"]) == []
    assert any(demo.anna.get_full_name() in text for text in after.values())


def _exports(client: Client, demo) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Every list's CSV that could name a person (as the committee downloads them)."""
    documents = {}
    for slug, query in (
        ("cases", ""),
        ("actions", f"case={demo.youth.reference}"),
        ("participants", f"case={demo.youth.reference}"),
        ("outcomes", f"case={demo.youth.reference}"),
        ("measurements", f"case={demo.youth.reference}"),
        ("decisions", ""),
    ):
        url = reverse("export_download", args=[slug, "csv"]) + f"?{query}"
        response = client.get(url)
        assert response.status_code == 200, url
        documents[url] = b"".join(response.streaming_content).decode("utf-8")
    return documents


def test_an_erased_person_cannot_sign_in(demo) -> None:
    call_command("person_erase", "petra", stdout=StringIO())
    demo.petra.refresh_from_db()
    client = Client()
    assert not client.login(username="petra", password="samverkan-demo")
    assert not client.login(username=demo.petra.username, password="samverkan-demo")
    assert not demo.petra.is_active and demo.petra.email == ""


def test_the_admin_action_erases_the_selected_people(demo) -> None:
    operator = Client()
    operator.force_login(get_user_model().objects.get(username="admin"))
    response = operator.post(
        "/admin/auth/user/",
        {"action": "erase_people", "_selected_action": [demo.olle.pk]},
        follow=True,
    )
    assert response.status_code == 200
    demo.olle.refresh_from_db()
    assert demo.olle.get_full_name().startswith("Former user ")
    assert "Olsson" not in response.content.decode()
