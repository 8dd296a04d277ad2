"""The local mailbox (DEBUG only) and the too-large-form page: axe-core in both languages, and
reflow at 320 px. They are not in PAGE_TYPES because the mailbox exists only with DEBUG on."""

from __future__ import annotations

import pytest
from django.urls import reverse

from config.devmail.models import SentEmail
from tests.browser.axe import axe_violations, describe

LANGUAGES = ["sv", "en"]


@pytest.fixture
def mailbox(settings, django_db_blocker):
    settings.DEBUG = True
    with django_db_blocker.unblock():
        emails = [
            SentEmail.objects.create(
                sender="Samverkan <noreply@samverkan.localhost>",
                recipients="petra@demo.samverkan.localhost",
                subject=f"[SAM-2026-0001] Polismyndigheten inbjuden som partner {number}",
                body="Öppna: http://127.0.0.1:8000/cases/SAM-2026-0001/\n" + "lång rad " * 200,
                html="<p>HTML</p>",
            )
            for number in range(3)
        ]
    yield emails
    with django_db_blocker.unblock():
        SentEmail.objects.filter(pk__in=[email.pk for email in emails]).delete()


def _reflows(page) -> bool:
    page.set_viewport_size({"width": 320, "height": 640})
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_mailbox_pages_have_no_wcag_violations_and_reflow(open_as, site, mailbox, language):
    page = open_as(site.demo.carl, language)
    for path in (reverse("dev_mailbox"), reverse("dev_mailbox_message", args=[mailbox[-1].pk])):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert page.locator("html").get_attribute("lang") == language
        violations = axe_violations(page)
        assert not violations, f"{path} ({language}):\n{describe(violations)}"
        assert _reflows(page), path
        page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize(
    ("language", "heading"),
    [("sv", "Formuläret var för stort för att sparas"), ("en", "The form was too large to save")],
)
def test_too_large_form_page_explains_itself_accessibly(open_as, site, settings, language, heading):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4000
    page = open_as(site.demo.carl, language)
    page.goto(reverse("case_edit", args=[site.demo.youth.reference]))
    page.locator("[name=problem_description]").fill("lång text " * 800)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator("main form button[type=submit]").last.click()
    assert posted.value.status == 413
    assert page.locator("h1").inner_text() == heading
    violations = axe_violations(page)
    assert not violations, f"413 ({language}):\n{describe(violations)}"
    assert _reflows(page)
