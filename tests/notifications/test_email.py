from __future__ import annotations

import pytest

from cases import services as case_services
from notifications import services
from notifications.choices import Channel, DeliveryState
from notifications.models import Delivery
from tests.helpers import run_scheduled_sends

# These tests are about the email channel itself; everyone chose email at once.
pytestmark = pytest.mark.usefixtures("emails_at_once")


def _carl_email(mailoutbox, carl):
    return next(m for m in mailoutbox if m.to == [carl.email])


def test_email_has_text_and_html_with_links_to_the_item_and_the_preferences(
    demo, django_capture_on_commit_callbacks, mailoutbox, settings
) -> None:
    settings.SITE_URL = "https://samverkan.example.se"
    with django_capture_on_commit_callbacks(execute=True):
        case_services.action_update_post(
            actor=demo.petra, action=demo.actions.picture, text="Lägesbilden är klar"
        )
    run_scheduled_sends()
    email = _carl_email(mailoutbox, demo.carl)
    assert demo.youth.reference in email.subject
    assert "Lägesbilden är klar" in email.body
    assert f"https://samverkan.example.se/actions/{demo.actions.picture.pk}/" in email.body
    assert "https://samverkan.example.se/notifications/preferences/" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html" and "Lägesbilden är klar" in html


def test_email_is_written_in_the_recipients_language(
    demo, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    services.notification_language_set(user=demo.carl, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        case_services.action_update_post(actor=demo.petra, action=demo.actions.picture, text="x")
    run_scheduled_sends()
    assert _carl_email(mailoutbox, demo.carl).extra_headers["Content-Language"] == "en"
    sara_email = next(m for m in mailoutbox if m.to == [demo.sara.email])
    assert sara_email.extra_headers["Content-Language"] == "sv"


def test_unreachable_mail_server_leaves_the_email_pending_then_failed_after_the_last_attempt(
    demo, django_capture_on_commit_callbacks, settings
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    settings.NOTIFICATIONS_EMAIL_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=True):
        case_services.action_update_post(actor=demo.petra, action=demo.actions.picture, text="x")
    run_scheduled_sends()
    delivery = Delivery.objects.get(
        channel=Channel.EMAIL, recipient=demo.carl, event__kind="action.update_posted"
    )
    assert (delivery.state, delivery.attempts) == (DeliveryState.PENDING, 1)
    settings.NOTIFICATIONS_EMAIL_RETRY_BASE = 0  # its retry falls due
    run_scheduled_sends()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.attempts == 2
    assert "Connection" in delivery.last_error or "refused" in delivery.last_error.lower()
