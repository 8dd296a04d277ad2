"""The preferences page: a choice per group ("Asks something of me", "Actions", "Case changes",
"Figures"), kind-by-kind choices under "customise", defaults that email at once only what asks
something of me; explicit choices are kept."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from notifications.choices import Ask, EmailMode, EventKind
from notifications.models import NotificationPreference
from notifications.preferences import GROUPS, PREFERENCE_KEYS, default_mode
from notifications.selectors import email_preferences

pytestmark = pytest.mark.django_db
URL = "/notifications/preferences/"


@pytest.fixture
def client_for(demo):
    """A test client signed in as the given persona (English unless asked otherwise)."""

    def make(user: object, language: str = "en") -> Client:
        client = Client()
        client.force_login(user)
        client.cookies["django_language"] = language
        return client

    return make


def _form_data(html: str) -> dict[str, str]:
    """What a browser would submit: every select's selected option."""
    data = {}
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    return data


def test_defaults_email_at_once_only_what_asks_something_of_me(demo) -> None:
    modes = email_preferences(demo.olle)
    at_once = {key for key, mode in modes.items() if mode == EmailMode.IMMEDIATELY}
    # What asks something of me, a meeting's agenda with its calendar invitation, and what
    # goes only to whom it asks for lessons, answers, a follow-up value or moderation.
    asked = {key for key in GROUPS[-1].keys}
    assert GROUPS[-1].key == "learning"
    assert at_once == {*Ask.values, EventKind.MEETING_AGENDA_SENT, *asked}
    assert EventKind.LESSON_RECORDED not in at_once
    assert modes[EventKind.CASE_STATUS_CHANGED] == EmailMode.DIGEST


def test_every_preference_key_is_in_exactly_one_group() -> None:
    grouped = [key for group in GROUPS for key in group.keys]
    assert sorted(grouped) == sorted(PREFERENCE_KEYS)


def test_page_shows_one_choice_per_group_with_the_kinds_folded_away(demo, client_for) -> None:
    html = client_for(demo.carl).get(reverse("notification_preferences")).content.decode()
    for label in ["Asks something of me", "Actions", "Case changes", "Figures"]:
        assert label in html
    assert html.count("<details") == len(GROUPS) and "<details open" not in html
    data = _form_data(html)
    assert data["group-asks"] == EmailMode.IMMEDIATELY
    assert data["group-figures"] == EmailMode.DIGEST


def test_page_is_in_swedish_for_swedish_readers(demo, client_for) -> None:
    html = client_for(demo.carl, "sv").get(URL).content.decode()
    assert "Kräver något av mig" in html and "Händelse för händelse" in html


def test_a_group_choice_sets_every_kind_of_the_group(demo, client_for) -> None:
    client = client_for(demo.carl)
    data = _form_data(client.get(URL).content.decode())
    data["group-figures"] = EmailMode.OFF
    assert client.post(URL, data).status_code == 302
    modes = email_preferences(demo.carl)
    assert all(modes[key] == EmailMode.OFF for key in GROUPS[3].keys)
    assert modes[Ask.REVIEW] == EmailMode.IMMEDIATELY  # other groups untouched
    # Only the choices that differ from the default are rows.
    rows = set(NotificationPreference.objects.filter(user=demo.carl).values_list("kind", flat=True))
    assert rows == set(GROUPS[3].keys)


def test_kind_by_kind_choices_count_when_the_group_is_customised(demo, client_for) -> None:
    client = client_for(demo.carl)
    data = _form_data(client.get(URL).content.decode())
    data["group-actions"] = "custom"
    data[EventKind.ACTION_BLOCKED] = EmailMode.IMMEDIATELY
    assert client.post(URL, data).status_code == 302
    modes = email_preferences(demo.carl)
    assert modes[EventKind.ACTION_BLOCKED] == EmailMode.IMMEDIATELY
    assert modes[EventKind.ACTION_OVERDUE] == EmailMode.DIGEST
    html = client.get(URL).content.decode()
    assert _form_data(html)["group-actions"] == "custom"
    assert html.count("<details open") == 1  # the customised group shows its choices


def test_a_bad_choice_is_reported_by_its_field_and_nothing_is_saved(demo, client_for) -> None:
    client = client_for(demo.carl)
    data = _form_data(client.get(URL).content.decode())
    data["group-case"] = "hourly"
    data[EventKind.ACTION_BLOCKED] = "loud"
    html = client.post(URL, data).content.decode()
    assert 'id="id_group-case_errors"' in html and 'aria-invalid="true"' in html
    assert f'id="id_{EventKind.ACTION_BLOCKED}_errors"' in html
    assert "<details open" in html  # the kind with the error is not hidden
    assert not NotificationPreference.objects.filter(user=demo.carl).exists()


def test_page_costs_the_same_queries_whatever_the_user_chose(
    demo, client_for, django_assert_max_num_queries
) -> None:
    client = client_for(demo.carl)
    client.get(URL)
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=demo.carl, kind=k, email="off") for k in PREFERENCE_KEYS]
    )
    with django_assert_max_num_queries(8):
        assert client.get(URL).status_code == 200


def test_migration_keeps_explicit_choices_and_drops_the_old_default(demo) -> None:
    """Rows holding the old default ("immediately", what an untouched form saved) go, so those
    kinds follow the new defaults; "digest"/"off" were chosen and stay, and a kind turned off
    that can now ask something of you keeps that choice for the ask too."""
    migration = importlib.import_module(
        "notifications.migrations.0007_preferences_asks_and_code_defaults"
    )
    for kind, mode in [
        (EventKind.CASE_UPDATED, EmailMode.IMMEDIATELY),
        (EventKind.ACTION_OVERDUE, EmailMode.OFF),
        (EventKind.PARTICIPATION_INVITED, EmailMode.OFF),
    ]:
        NotificationPreference.objects.create(user=demo.olle, kind=kind, email=mode)
    migration.forwards(apps, None)
    modes = email_preferences(demo.olle)
    assert modes[EventKind.CASE_UPDATED] == default_mode(EventKind.CASE_UPDATED) == "digest"
    assert modes[EventKind.ACTION_OVERDUE] == EmailMode.OFF
    assert modes[Ask.INVITATION] == EmailMode.OFF
    assert modes[Ask.ASSIGNMENT] == EmailMode.IMMEDIATELY
