"""Erase a person: `manage.py person_erase <username>` (see privacy.services.person_erase)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from privacy.services import person_erase, person_get_by_username


class Command(BaseCommand):
    help = (
        "Replace a person's name and e-mail address by a neutral label in their user row and "
        "everything that shows it (history, timeline, notifications) and switch off sign-in. "
        "History records are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = person_get_by_username(options["username"])
        except Exception as error:
            raise CommandError(f"No user named {options['username']!r}.") from error
        erased = person_erase(user=user)
        self.stdout.write(f"Erased: now {erased.label!r} (username {erased.username}).")
