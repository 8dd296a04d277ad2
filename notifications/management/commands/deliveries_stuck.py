"""`manage.py deliveries_stuck`: what in the notification pipeline has not gone out.

Counts and a bounded listing (oldest first) of emails pending, sending or failed, webhook
deliveries dead or overdue, and outbox events not fanned out, older than `--minutes`.
`--json` prints the same for a script. Re-send with `manage.py deliveries_resend`.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Count
from django.utils import timezone

from notifications import stuck

MAX_LIMIT = 1000


class Command(BaseCommand):
    help = "List stuck emails, webhook deliveries and outbox events (counts and the oldest)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--minutes", type=int, default=15, help="Older than this (default 15).")
        parser.add_argument(
            "--limit", type=int, default=20, help=f"Rows listed per kind (at most {MAX_LIMIT})."
        )
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = stuck_report(minutes=max(0, options["minutes"]), limit=options["limit"])
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2, default=str))
        else:
            self._print(report)

    def _print(self, report: dict[str, Any]) -> None:
        counts = report["counts"]
        self.stdout.write(f"Stuck for more than {report['minutes']} minutes:")
        for kind, label in (
            ("emails", "emails"),
            ("webhooks", "webhook deliveries"),
            ("events", "outbox events"),
        ):
            by_state = ", ".join(f"{s} {n}" for s, n in sorted(counts[kind]["by_state"].items()))
            suffix = f" ({by_state})" if by_state else ""
            self.stdout.write(f"  {label + ':':<20}{counts[kind]['total']}{suffix}")
            for row in report[kind]:
                self.stdout.write("    " + _line(row))
        if any(counts[kind]["total"] for kind in ("emails", "webhooks", "events")):
            self.stdout.write("Re-send with: manage.py deliveries_resend --kind all (dry run)")


def _line(row: dict[str, Any]) -> str:
    parts = [f"#{row['id']}", row["kind"], row.get("case") or "-"]
    if "recipient" in row:
        parts.append(f"{row['channel']} to {row['recipient']}")
    if "organisation" in row:
        parts.append(f"endpoint {row['endpoint']} ({row['organisation']})")
    if "state" in row:
        parts.append(f"{row['state']} after {row['attempts']} attempts")
    parts.append(f"{row['age_seconds']} s old")
    if row.get("last_error"):
        parts.append(row["last_error"][:120])
    return "  ".join(parts)


def _by_state(queryset: Any) -> dict[str, int]:
    rows = queryset.order_by().values_list("state").annotate(n=Count("pk"))
    return {state: n for state, n in rows}


def stuck_report(*, minutes: int, limit: int) -> dict[str, Any]:
    now = timezone.now()
    limit = min(max(limit, 0), MAX_LIMIT)
    window = stuck.Window(before=now - timedelta(minutes=minutes))
    emails = stuck.stuck_emails(window)
    webhooks = stuck.stuck_webhooks(window)
    events = stuck.stuck_events(window)
    email_states = _by_state(emails)
    webhook_states = _by_state(webhooks)
    return {
        "minutes": minutes,
        "checked_at": now.isoformat(),
        "counts": {
            "emails": {"total": sum(email_states.values()), "by_state": email_states},
            "webhooks": {"total": sum(webhook_states.values()), "by_state": webhook_states},
            "events": {"total": events.count(), "by_state": {}},
        },
        "emails": stuck.email_rows(emails, now, limit),
        "webhooks": stuck.webhook_rows(webhooks, now, limit),
        "events": stuck.event_rows(events, now, limit),
    }
