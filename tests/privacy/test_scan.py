"""`manage.py personal_data_scan` finds numbers already stored, and never prints them whole."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import ActionUpdate, Case
from notifications.models import Event

from .numbers import PERSONNUMMER, SAMORDNINGSNUMMER, WRONG_CHECK_DIGIT


def _scan(*args: str) -> str:
    out = StringIO()
    call_command("personal_data_scan", *args, stdout=out)
    return out.getvalue()


def test_a_clean_database_reports_nothing_and_passes_with_fail(demo) -> None:
    output = _scan("--fail")
    assert output.strip().endswith("0 personal identity number(s) found.")


def test_numbers_written_before_the_guard_are_reported_masked_by_model_field_and_row(demo) -> None:
    # Rows written before the guard existed: straight to the table, past validation.
    update = ActionUpdate.objects.create(
        action=demo.actions.picture, author=demo.petra, text=f"Pojken {PERSONNUMMER} greps."
    )
    Case.objects.filter(pk=demo.youth.pk).update(problem_description=f"Se {SAMORDNINGSNUMMER}")
    Event.objects.create(kind="case_updated", case=demo.youth, payload={"reason": PERSONNUMMER})
    ActionUpdate.objects.create(
        action=demo.actions.picture, author=demo.petra, text=f"Ärende {WRONG_CHECK_DIGIT}"
    )

    output = _scan()

    assert f"cases.actionupdate\ttext\t{update.pk}\t19811218-****" in output
    assert f"cases.case\tproblem_description\t{demo.youth.pk}\t811278-****" in output
    assert "notifications.event\tpayload" in output
    assert "3 personal identity number(s) found." in output
    for number in (PERSONNUMMER, SAMORDNINGSNUMMER, PERSONNUMMER[2:]):
        assert number not in output


def test_fail_makes_the_exit_status_non_zero_when_something_is_found(demo) -> None:
    ActionUpdate.objects.create(
        action=demo.actions.picture, author=demo.petra, text=f"Pojken {PERSONNUMMER}"
    )
    with pytest.raises(CommandError) as failed:
        _scan("--fail")
    assert failed.value.returncode == 1


def test_every_app_of_the_product_whose_tables_hold_free_text_is_guarded_and_scanned() -> None:
    """A new app with text columns is guarded from its first day (and its data scanned)."""
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings

    from privacy.guard import GUARDED_APPS, is_free_text

    # accounts keeps only hashes of providers' subjects (accounts.services.subject_key).
    unguarded = []
    for config in apps.get_app_configs():
        if config.label == "accounts":
            continue
        if Path(config.path).parent != Path(settings.BASE_DIR) or config.label in GUARDED_APPS:
            continue
        if any(is_free_text(f) for m in config.get_models() for f in m._meta.concrete_fields):
            unguarded.append(config.label)
    assert unguarded == []
