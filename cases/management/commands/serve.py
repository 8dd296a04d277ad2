"""`manage.py serve`: the development server as `make run` starts it.

Compared with `runserver`: the port comes from PORT; `--demo` loads the reference and demo data
first (once, quietly); without Redis the beat schedule runs in a thread beside the server
(config/scheduler.py); and once the server listens, a short banner ends with the demo logins, so
they are the last thing in the terminal.
"""

from __future__ import annotations

import io
import os
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand
from django.core.management import call_command
from django.core.management.base import CommandParser
from django.utils import autoreload

from cases.demo import demo_data_present, load_demo_data
from config.scheduler import InProcessScheduler, describe_schedule

from .load_demo_data import demo_login_lines


class Command(RunserverCommand):
    help = (
        "Serve Samverkan for development on PORT (default 8000): runs the schedule in-process "
        "without Redis and prints the demo logins last."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--demo", action="store_true", help="Load the reference and demo data first (once)."
        )
        parser.add_argument(
            "--prepare-only",
            action="store_true",
            help="Do everything up to serving (data, banner), print the banner and stop.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.default_port = str(settings.PORT)
        # Under the autoreloader this runs again in the serving child: load data in the parent.
        if options["demo"] and os.environ.get(autoreload.DJANGO_AUTORELOAD_ENV) != "true":
            self._load_demo()
        if options["prepare_only"]:
            addr, _colon, port = (options["addrport"] or "").rpartition(":")
            self.addr = addr or "127.0.0.1"
            self.stdout.write("\n".join(self.banner_lines(port or self.default_port)))
            return
        super().handle(*args, **options)

    def _load_demo(self) -> None:
        call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
        if demo_data_present():
            self.stdout.write("Demo data is already loaded.")
        else:
            self.stdout.write("Loading the demo data…")
            load_demo_data()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))

    def inner_run(self, *args: Any, **options: Any) -> None:
        # Here, not in handle(): under the autoreloader only the serving child gets here.
        if settings.SCHEDULE_IN_PROCESS:
            self.scheduler = InProcessScheduler()
            self.scheduler.start()
        super().inner_run(*args, **options)

    def on_bind(self, server_port: int) -> None:
        self.stdout.write("\n".join(self.banner_lines(server_port)))

    def banner_lines(self, port: int | str) -> list[str]:
        host = "127.0.0.1" if self.addr in ("", "0", "0.0.0.0") else self.addr
        url = f"{self.protocol}://{host}:{port}"
        lines = [
            "",
            f"Samverkan runs at {url}/ (stop with Ctrl-C)",
            f"  admin:     {url}/admin/",
        ]
        if settings.EMAIL_BACKEND == "config.devmail.backend.EmailBackend":
            lines.append(f"  emails:    {url}/dev/mailbox/ (kept there, not sent)")
        if settings.SCHEDULE_IN_PROCESS:
            lines.append("  schedule:  in this process, no Redis needed")
            lines += [f"             {job}" for job in describe_schedule()]
        else:
            lines.append("  schedule:  by `celery -A config beat` (make beat), with a worker")
        if demo_data_present():
            lines += ["", *demo_login_lines()]
        return lines
