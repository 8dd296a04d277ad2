"""`manage.py deliveries_resend`: queue stuck deliveries again, by id, by kind or since a date.

    manage.py deliveries_resend --email 12 13 --webhook 7 --event 40
    manage.py deliveries_resend --kind email            # every stuck email (older than --minutes)
    manage.py deliveries_resend --since 2026-11-30      # every failed email and dead webhook since
    ... --yes                                           # without it: a dry run that changes nothing

Failed emails and dead webhook deliveries are reopened with a fresh retry budget; pending ones,
and claims past their lease, are queued again; events not fanned out are handed off again.
Nothing is sent twice: the claims, the same Message-ID and webhook-id, and the fan-out's
dispatched mark decide (notifications/services/resend.py).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from notifications import stuck
from notifications.services import broker_publish, event_hand_off
from notifications.services.resend import (
    email_deliveries_reopen,
    undispatched_event_ids,
    webhook_deliveries_reopen,
)
from notifications.tasks import _email_batches, email_deliveries_send
from notifications.webhooks.services import webhook_delivery_hand_off


class Command(BaseCommand):
    help = "Re-send stuck emails, webhook deliveries and events (a dry run unless --yes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", type=int, nargs="+", default=[], help="Email delivery ids.")
        parser.add_argument("--webhook", type=int, nargs="+", default=[], help="Webhook ids.")
        parser.add_argument("--event", type=int, nargs="+", default=[], help="Outbox event ids.")
        parser.add_argument("--kind", choices=[*stuck.KINDS, "all"], help="Every stuck one.")
        parser.add_argument(
            "--since", type=date.fromisoformat, help="Every failed one created since YYYY-MM-DD."
        )
        parser.add_argument("--minutes", type=int, default=15, help="With --kind: older than.")
        parser.add_argument("--limit", type=int, default=1000, help="At most this many per kind.")
        parser.add_argument("--yes", action="store_true", help="Re-send (default: dry run).")

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = self._chosen(options)
        if not any(chosen.values()):
            self.stdout.write("Nothing to re-send.")
            return
        for kind, ids in chosen.items():
            if ids:
                self.stdout.write(f"{kind}: {len(ids)} ({_ids(ids)})")
        if not options["yes"]:
            self.stdout.write("Dry run: nothing changed. Run again with --yes to re-send.")
            return
        self._resend(chosen)

    def _chosen(self, options: dict[str, Any]) -> dict[str, list[int]]:
        by_id = {kind: options[kind] for kind in stuck.KINDS}
        kind = options["kind"] or ("all" if options["since"] else None)
        if kind is None:
            if not any(by_id.values()):
                raise CommandError("Name ids (--email/--webhook/--event), --kind or --since.")
            return by_id
        if any(by_id.values()):
            raise CommandError("Give ids or --kind/--since, not both.")
        return _selected(kind, options["since"], options["minutes"], options["limit"])

    def _resend(self, chosen: dict[str, list[int]]) -> None:
        emails = email_deliveries_reopen(delivery_ids=chosen["email"])
        queued = sum(
            len(batch)
            for batch in _email_batches(emails)
            if broker_publish(email_deliveries_send.delay, batch)
        )
        self._report("email", chosen["email"], emails, queued)
        webhooks = webhook_deliveries_reopen(delivery_ids=chosen["webhook"])
        for pk in webhooks:
            webhook_delivery_hand_off(pk)
        self._report("webhook", chosen["webhook"], webhooks, len(webhooks))
        events = undispatched_event_ids(event_ids=chosen["event"])
        for pk in events:
            event_hand_off(pk)
        self._report("event", chosen["event"], events, len(events))

    def _report(self, kind: str, asked: list[int], reopened: list[int], queued: int) -> None:
        if not asked:
            return
        left = sorted(set(asked) - set(reopened))
        line = f"{kind}: {queued} queued"
        if left:
            line += f"; left alone (already done, in flight or not re-sendable): {_ids(left)}"
        if queued < len(reopened):
            line += "; the broker did not answer: the sweeper queues the rest once it is back"
        self.stdout.write(line)


def _ids(ids: list[int], shown: int = 20) -> str:
    text = ", ".join(str(pk) for pk in ids[:shown])
    return text + (f", … ({len(ids) - shown} more)" if len(ids) > shown else "")


def _selected(kind: str, since: date | None, minutes: int, limit: int) -> dict[str, list[int]]:
    """Ids per kind: with `since`, every failed one created since then; else every stuck one."""
    now = timezone.now()
    window = stuck.Window(before=now if since else now - timedelta(minutes=minutes), since=since)
    kinds = stuck.KINDS if kind == "all" else (kind,)
    chosen: dict[str, list[int]] = {"email": [], "webhook": [], "event": []}
    failed_only = since is not None
    if "email" in kinds:
        rows = stuck.stuck_emails(window, failed_only=failed_only)
        chosen["email"] = list(rows.values_list("pk", flat=True)[:limit])
    if "webhook" in kinds:
        rows = stuck.stuck_webhooks(window, failed_only=failed_only)
        chosen["webhook"] = list(rows.values_list("pk", flat=True)[:limit])
    if "event" in kinds and not failed_only:
        chosen["event"] = list(stuck.stuck_events(window).values_list("pk", flat=True)[:limit])
    return chosen
