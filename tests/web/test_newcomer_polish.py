"""What a newcomer meets first: the local mailbox, the favicon, English dates as in en-GB, and a
page that explains a too-large form."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from config.devmail.models import SentEmail

MAILBOX = "config.devmail.backend.EmailBackend"


@pytest.fixture
def mailbox(db, settings):
    settings.DEBUG = True
    settings.EMAIL_BACKEND = MAILBOX
    SentEmail.objects.all().delete()  # rolled back with the test
    return settings


def _send(count: int) -> None:
    for number in range(1, count + 1):
        message = mail.EmailMultiAlternatives(
            f"Meddelande {number}", f"Text nummer {number}", None, [f"user{number}@demo.se"]
        )
        message.attach_alternative(f"<p>HTML nummer {number}</p>", "text/html")
        message.send()


def test_mailbox_lists_the_newest_email_first_and_each_is_readable(
    mailbox, client_for, demo
) -> None:
    _send(3)
    client = client_for(demo.eve)
    listing = client.get("/dev/mailbox/").content.decode()
    assert (
        listing.index("Meddelande 3")
        < listing.index("Meddelande 2")
        < listing.index("Meddelande 1")
    )
    newest = SentEmail.objects.order_by("-id").first()
    page = client.get(reverse("dev_mailbox_message", args=[newest.pk])).content.decode()
    assert "Text nummer 3" in page and "user3@demo.se" in page
    html = client.get(reverse("dev_mailbox_html", args=[newest.pk]))
    assert html.content == b"<p>HTML nummer 3</p>"
    assert html["Content-Security-Policy"].startswith("sandbox")


def test_mailbox_is_paged(mailbox, client_for, demo) -> None:
    _send(27)
    client = client_for(demo.carl)
    first = client.get("/dev/mailbox/").content.decode()
    assert "Meddelande 27" in first and "Meddelande 3<" in first and "Meddelande 2<" not in first
    second = client.get("/dev/mailbox/?page=2").content.decode()
    assert "Meddelande 2<" in second and "Meddelande 1<" in second and "Meddelande 27" not in second


@pytest.mark.parametrize("count", [1, 30])
def test_mailbox_query_count_does_not_grow_with_the_emails(
    mailbox, client_for, demo, django_assert_num_queries, count
) -> None:
    _send(count)
    client = client_for(demo.carl)
    client.get("/dev/mailbox/")  # session and language settle first
    # session, user, count, page of emails, unread count, my organisations, whether I am on the
    # committee (the header's committee links)
    with django_assert_num_queries(7):
        assert client.get("/dev/mailbox/").status_code == 200


def test_mailbox_asks_to_sign_in(mailbox) -> None:
    response = Client().get("/dev/mailbox/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_mailbox_does_not_exist_without_debug(settings, client_for, demo) -> None:
    settings.DEBUG = False
    settings.EMAIL_BACKEND = MAILBOX
    _send(1)
    client = client_for(demo.anna)
    pk = SentEmail.objects.order_by("-id").first().pk
    assert client.get("/dev/mailbox/").status_code == 404
    assert client.get(f"/dev/mailbox/{pk}/").status_code == 404
    assert client.get(f"/dev/mailbox/{pk}/html/").status_code == 404
    assert Client().get("/dev/mailbox/").status_code == 404


def test_favicon_is_linked_and_favicon_ico_answers(client) -> None:
    page = client.get(reverse("login")).content.decode()
    assert re.search(r'<link rel="icon" href="/static/favicon\.svg"', page)
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(response.streaming_content)


def _long_date(value: date, months: list[str]) -> str:
    return f"{value.day} {months[value.month - 1]} {value.year}"


EN_MONTHS = "January February March April May June July August September October November December"
SV_MONTHS = "januari februari mars april maj juni juli augusti september oktober november december"


def test_english_dates_are_written_as_in_the_uk_and_swedish_stay_swedish(client_for, demo) -> None:
    case = demo.youth
    outcome = case.outcomes.exclude(target_date=None).first()
    english = client_for(demo.carl, "en").get(f"/cases/{case.reference}/").content.decode()
    assert _long_date(outcome.target_date, EN_MONTHS.split()) in english
    # The timeline: day, month, year and a 24-hour time; nothing US-style.
    assert re.search(r"\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2}", english)
    assert not re.search(r"\b[A-Z][a-z]{2}\. \d{1,2}, \d{4}|[ap]\.m\.", english)
    swedish = client_for(demo.carl, "sv").get(f"/cases/{case.reference}/").content.decode()
    assert _long_date(outcome.target_date, SV_MONTHS.split()) in swedish


@pytest.fixture
def small_form_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    return settings


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The form was too large to save"),
        ("sv", "Formuläret var för stort för att sparas"),
    ],
)
def test_too_large_form_gets_a_page_that_says_what_to_do(
    small_form_limit, client_for, demo, language, expected
) -> None:
    client = client_for(demo.carl, language)
    case = demo.youth
    response = client.post(
        reverse("case_edit", args=[case.reference]),
        {"title": case.title, "problem_description": "x" * 5000},
        HTTP_REFERER=f"http://testserver/cases/{case.reference}/edit/",
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert expected in page
    assert f'href="http://testserver/cases/{case.reference}/edit/"' in page
    case.refresh_from_db()
    assert "x" * 100 not in case.problem_description


def test_too_large_form_page_never_links_to_another_site(small_form_limit, client) -> None:
    response = client.post(
        reverse("login"),
        {"username": "x" * 5000, "password": "y"},
        HTTP_REFERER="https://elsewhere.example/phish",
    )
    assert response.status_code == 413
    assert "elsewhere.example" not in response.content.decode()


def test_too_large_api_request_keeps_its_json_413(settings, client_for, demo) -> None:
    settings.API_MAX_BODY_BYTES = 1000
    response = client_for(demo.carl).post(
        "/api/v1/cases/", {"title": "x" * 5000}, content_type="application/json"
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "too large" in response.json()["detail"]


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("en-GB,en;q=0.9", "en"),
        ("en-US", "en"),
        ("sv-SE", "sv"),
        ("de-DE,fr;q=0.8", "sv"),
        ("", "sv"),
    ],
)
def test_language_follows_the_browser_and_falls_back_to_swedish(
    client, settings, accept_language, expected
) -> None:
    settings.LANGUAGE_CODE = "sv"  # as in config/settings/base.py (the test settings say en)
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}
    page = client.get(reverse("login"), **headers).content.decode()
    assert f'<html lang="{expected}">' in page
