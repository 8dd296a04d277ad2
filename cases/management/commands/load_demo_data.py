from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.demo import (
    DEMO_PASSWORD,
    OPERATOR,
    PERSONAS,
    SUPPORTING,
    demo_data_present,
    load_demo_data,
)


class Command(BaseCommand):
    help = "Load the demo scenario and print the demo logins (skipped when already loaded)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (never in production).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Demo data is for development: DEBUG is off (use --force to insist)."
            )
        call_command("load_reference_data", verbosity=0, stdout=self.stdout)
        if demo_data_present():
            self.stdout.write("Demo data is already loaded.")
        else:
            load_demo_data()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write("\n".join(demo_login_lines()))


def demo_login_lines() -> list[str]:
    """The demo logins, as `make run` prints them last."""
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    lines += [
        f"  {demo.username:<8} {demo.description}" for demo in [*PERSONAS, OPERATOR, *SUPPORTING]
    ]
    return lines
