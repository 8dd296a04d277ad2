"""`make run`: the demo load and banner come last, PORT is followed, emails stay out of the
terminal (they go to the local mailbox)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command

from cases.management.commands.load_demo_data import demo_login_lines
from cases.management.commands.serve import Command as ServeCommand
from config.devmail.models import SentEmail
from tests.helpers import run_scheduled_sends

ROOT = Path(__file__).resolve().parents[1]


def _run_recipe() -> list[str]:
    """The commands of the Makefile's `run` target."""
    lines = (ROOT / "Makefile").read_text().splitlines()
    start = lines.index("run: install") + 1
    recipe = []
    for line in lines[start:]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return recipe


def test_make_run_migrates_then_serves_with_the_demo_on_port():
    *before, serve = _run_recipe()
    assert any("manage.py migrate" in line for line in before)
    assert "manage.py serve --demo 127.0.0.1:$(PORT)" in serve
    # Nothing of make's own is echoed after the server's banner.
    assert all(line.startswith("@") for line in _run_recipe())


def test_demo_load_and_banner_end_with_the_demo_logins(demo, settings):
    # As `make run` has them: the local mailbox, no Redis so the schedule runs in-process.
    settings.EMAIL_BACKEND = "config.devmail.backend.EmailBackend"
    settings.SCHEDULE_IN_PROCESS = True
    out = StringIO()
    call_command("serve", "--demo", "--prepare-only", "127.0.0.1:8001", stdout=out)
    lines = out.getvalue().rstrip().splitlines()
    logins = demo_login_lines()
    assert lines[-len(logins) :] == logins
    assert "anna" in lines[-len(logins) + 1]
    banner = "\n".join(lines[: -len(logins)])
    assert "Demo data is already loaded." in banner
    assert "Samverkan runs at http://127.0.0.1:8001/" in banner
    assert "http://127.0.0.1:8001/dev/mailbox/" in banner
    assert "schedule:  in this process" in banner and "daily-digests: daily at 05:30 UTC" in banner
    assert "reports-purge: hourly at :40" in banner and "crontab" not in banner


def test_banner_printed_when_the_server_listens_ends_with_the_logins(demo, settings):
    settings.SCHEDULE_IN_PROCESS = False  # as with Redis: beat runs the schedule
    out = StringIO()
    command = ServeCommand(stdout=out)
    command.addr, command.protocol = "127.0.0.1", "http"
    command.on_bind(8002)
    lines = out.getvalue().rstrip().splitlines()
    assert lines[-len(demo_login_lines()) :] == demo_login_lines()
    assert "Samverkan runs at http://127.0.0.1:8002/" in out.getvalue()
    assert "celery -A config beat" in out.getvalue()


def test_emails_in_debug_go_to_the_mailbox_not_the_terminal(db, settings, capsys):
    settings.EMAIL_BACKEND = "config.devmail.backend.EmailBackend"
    mail.send_mail("Inbjudan till ärendet", "Öppna: http://127.0.0.1:8001/", None, ["petra@x.se"])
    captured = capsys.readouterr()
    assert "Inbjudan" not in captured.out + captured.err
    kept = SentEmail.objects.get(subject="Inbjudan till ärendet")
    assert kept.subject == "Inbjudan till ärendet" and kept.recipients == "petra@x.se"


def _settings_in_a_fresh_process(**environment: str) -> dict[str, str]:
    """Base settings as `make run` reads them (no test settings on top)."""
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.SITE_URL); print(settings.EMAIL_BACKEND); "
        "print(settings.SCHEDULE_IN_PROCESS); print(settings.LANGUAGE_CODE)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("EMAIL_BACKEND", "SITE_URL")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.base", DEBUG="on", **environment)
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    site_url, backend, in_process, language = result.stdout.split()
    return {
        "site_url": site_url,
        "backend": backend,
        "in_process": in_process,
        "language": language,
    }


def test_port_sets_the_address_of_links_and_debug_keeps_emails_in_the_mailbox():
    found = _settings_in_a_fresh_process(PORT="8001")
    assert found == {
        "site_url": "http://127.0.0.1:8001",
        "backend": "config.devmail.backend.EmailBackend",
        "in_process": "True",  # no REDIS_URL: the web process runs the schedule
        "language": "sv",  # what a browser that asks for no language we have gets
    }
    assert _settings_in_a_fresh_process()["site_url"] == "http://127.0.0.1:8000"
    explicit = _settings_in_a_fresh_process(PORT="8001", SITE_URL="https://samverkan.example.se/")
    assert explicit["site_url"] == "https://samverkan.example.se"


@pytest.mark.usefixtures("demo")
def test_links_in_emails_follow_the_site_address(
    demo, emails_at_once, settings, mailoutbox, django_capture_on_commit_callbacks
):
    from cases import services as case_services

    settings.SITE_URL = "http://127.0.0.1:8001"
    with django_capture_on_commit_callbacks(execute=True):
        case_services.action_update_post(
            actor=demo.petra, action=demo.actions.picture, text="Lägesbilden är klar"
        )
    run_scheduled_sends()  # emails go from the schedule's send job, never inside the request
    links = {link for m in mailoutbox for link in re.findall(r"https?://[^\s/]+", m.body)}
    assert links == {"http://127.0.0.1:8001"}
