"""The project as an operator meets it: deploy checks, commands, the admin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "off",
    "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "samverkan.example.se",
    "DATABASE_URL": "sqlite:////tmp/samverkan-deploy-check.sqlite3",
    "DJANGO_SETTINGS_MODULE": "config.settings.base",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "REDIS_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_production_settings() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_demo_data_refuses_to_load_in_production() -> None:
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo_data")


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_demo_data_command_is_safe_to_rerun(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_demo_data")
    out = capsys.readouterr().out
    assert "already loaded" in out
    assert "anna" in out and "samverkan-demo" in out


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anna", "carl", "petra", "sara", "olle", "eve"])
def test_demo_logins_work(client, demo, persona) -> None:
    assert client.login(username=persona, password="samverkan-demo")


@pytest.mark.django_db
def test_operator_finds_cases_in_the_admin(admin_client, demo) -> None:
    for url in [
        "/admin/cases/case/",
        "/admin/cases/action/",
        "/admin/agencies/organisation/",
        "/admin/cases/participation/",
        "/admin/cases/measurement/",
    ]:
        response = admin_client.get(url, {"q": "Södertälje"})
        assert response.status_code == 200, url
    response = admin_client.get(f"/admin/cases/case/{demo.youth.pk}/change/")
    assert response.status_code == 200
    assert demo.youth.reference in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("login", "can_change"), [("admin", True), ("anna", False)])
def test_demo_logins_work_in_the_admin(client, demo, login, can_change) -> None:
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": login, "password": "samverkan-demo", "next": "/admin/"},
    )
    assert response.status_code == 302 and response.url == "/admin/"
    page = client.get("/admin/cases/case/")
    assert page.status_code == 200
    assert demo.care.reference in page.content.decode()
    change = client.get(f"/admin/cases/action/{demo.actions.picture.pk}/change/")
    assert ('name="_save"' in change.content.decode()) is can_change


@pytest.mark.django_db
@pytest.mark.parametrize("login", ["petra", "eve"])
def test_partners_do_not_get_into_the_admin(client, demo, login) -> None:
    client.post("/admin/login/", {"username": login, "password": "samverkan-demo"})
    assert client.get("/admin/cases/case/").status_code == 302


def test_demo_personas_start_with_what_asks_something_of_them(transactional_demo) -> None:
    """The demo's story is the personas' past: carl's inbox holds the values waiting for his
    review, petra's her returned value, not the whole story's sixty-odd lines."""
    from cases.choices import ReviewState
    from cases.models import Measurement
    from notifications.choices import EventKind
    from notifications.models import Notification

    def unread(user) -> list[str]:
        return list(
            Notification.objects.filter(recipient=user, read_at__isnull=True).values_list(
                "event__kind", flat=True
            )
        )

    carl, petra = transactional_demo.carl, transactional_demo.petra
    waiting = Measurement.objects.filter(
        review_state=ReviewState.SUBMITTED, outcome__case__coordinator=carl
    ).count()
    assert waiting >= 4
    assert unread(carl) == [EventKind.MEASUREMENT_REPORTED] * waiting
    assert EventKind.MEASUREMENT_RETURNED in unread(petra)
    assert Notification.objects.filter(recipient=carl).count() > 3 * waiting  # the rest is read
