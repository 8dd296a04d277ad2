"""Where apps beside `cases` plug their events into the pipeline.

An app that records events of its own kinds (meetings, decisions, obstacles, …) registers, in its
`AppConfig.ready()`:

- `recipients_register(kind, rule)`: who receives an event of that kind beyond the case's usual
  recipients. `rule(event)` returns user ids. For an event with a case, those ids are still
  filtered by who may see the case; for an event without a case (a meeting's agenda), the rule
  alone decides, so it must only name people allowed to read it.
- `path_register(kind, path)`: where a notification of that kind points in the web UI.
- `message_register(kind, kind_entry)`: its line in the inbox and in emails (a `messages.Kind`).
- `email_extra_register(kind, builder)`: what its email carries beyond the line: `builder(event,
  recipient)` returns an `EmailExtra` (lines of detail shown under the message, and attachments,
  e.g. a meeting's agenda and its `.ics` invitation), built for that recipient.

The fan-out, the inbox and the email templates ask these registries; nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Event

RecipientRule = Callable[["Event"], set[int]]
PathRule = Callable[["Event"], str]


@dataclass(frozen=True)
class EmailExtra:
    """Details (lines under the message) and attachments (file name, content, MIME type)."""

    details: list[str] = field(default_factory=list)
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)


EmailExtraRule = Callable[["Event", Any], EmailExtra]

RECIPIENT_RULES: dict[str, RecipientRule] = {}
# For an event without a case: the organisations whose webhook endpoints receive it (their own
# systems). An event with a case goes to its participants' endpoints, as before.
WEBHOOK_ORGANISATION_RULES: dict[str, RecipientRule] = {}
PATH_RULES: dict[str, PathRule] = {}
EMAIL_EXTRA_RULES: dict[str, EmailExtraRule] = {}


def recipients_register(kind: str, rule: RecipientRule) -> None:
    RECIPIENT_RULES[str(kind)] = rule


def webhook_organisations_register(kind: str, rule: RecipientRule) -> None:
    WEBHOOK_ORGANISATION_RULES[str(kind)] = rule


def registered_webhook_organisations(event: Event) -> set[int]:
    rule = WEBHOOK_ORGANISATION_RULES.get(event.kind)
    return set(rule(event)) if rule is not None else set()


def path_register(kind: str, rule: PathRule) -> None:
    PATH_RULES[str(kind)] = rule


def email_extra_register(kind: str, rule: EmailExtraRule) -> None:
    EMAIL_EXTRA_RULES[str(kind)] = rule


def message_register(kind: str, entry: Any) -> None:
    from .messages import KINDS

    KINDS[str(kind)] = entry


def registered_recipients(event: Event) -> set[int]:
    rule = RECIPIENT_RULES.get(event.kind)
    return set(rule(event)) if rule is not None else set()


def registered_path(event: Event) -> str | None:
    rule = PATH_RULES.get(event.kind)
    return rule(event) if rule is not None else None


def registered_email_extra(event: Event, recipient: Any) -> EmailExtra:
    rule = EMAIL_EXTRA_RULES.get(event.kind)
    return rule(event, recipient) if rule is not None else EmailExtra()
