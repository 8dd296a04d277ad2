"""Reports personal identity numbers already stored in free text, masked (`19811218-****`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from privacy.scan import scan


class Command(BaseCommand):
    help = (
        "Scan every text column of Samverkan's tables (histories included) for Swedish personal "
        "identity numbers and report model, field, row id and the number masked."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fail", action="store_true", help="Exit with status 1 when anything is found."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for finding in scan():
            count += 1
            self.stdout.write(f"{finding.label}\t{finding.field}\t{finding.pk}\t{finding.masked}")
        self.stdout.write(f"{count} personal identity number(s) found.")
        if count and options["fail"]:
            raise CommandError("Personal identity numbers found in stored text.", returncode=1)
