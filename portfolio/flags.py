"""When a case needs the committee: every flag of the portfolio is decided here, in one place.

A flag is a condition over the figures `portfolio.selectors.portfolio_rows` annotates, so the
database computes it for thousands of cases, and a list can be filtered and counted by it.
Thresholds are settings (PORTFOLIO_INACTIVE_DAYS, PORTFOLIO_OVERDUE_SHARE), read at query time.
Another app adds a flag with `flag_register` in its AppConfig.ready() (for example overdue effect
follow-ups, once a case's decisions have follow-up dates): its condition may use its own
annotations, added to the rows with `rows_annotator_register`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.choices import CaseStatus


@dataclass(frozen=True)
class Flag:
    """A reason why a case needs the committee: a key, the words shown, and its condition."""

    key: str
    label: str | Promise
    condition: Callable[[], Q]
    # A flag about what happens after a case closes (an overdue effect follow-up) is raised on
    # closed cases too; every other flag only on cases still open.
    after_closing: bool = False


def _inactive() -> Q:
    cutoff = timezone.now() - timedelta(days=settings.PORTFOLIO_INACTIVE_DAYS)
    return Q(last_activity_at__lt=cutoff)


def _off_track() -> Q:
    return Q(outcomes_measured__gt=0, outcomes_on_track=0)


def _overdue() -> Q:
    return Q(overdue_share__gt=settings.PORTFOLIO_OVERDUE_SHARE)


FLAGS: dict[str, Flag] = {}
ROW_ANNOTATORS: list[Callable[[QuerySet], QuerySet]] = []


def flag_register(flag: Flag) -> None:
    FLAGS[flag.key] = flag


def rows_annotator_register(annotate: Callable[[QuerySet], QuerySet]) -> None:
    """Adds figures a registered flag needs to every portfolio row."""
    ROW_ANNOTATORS.append(annotate)


flag_register(Flag("inactive", _("No activity for a long time"), _inactive))
flag_register(Flag("off_track", _("All measured outcomes off track"), _off_track))
flag_register(Flag("overdue", _("Many overdue actions"), _overdue))

# A closed case needs nobody any more.
FLAGGED_STATUSES = Q(
    status__in=[CaseStatus.DRAFT, CaseStatus.ACTIVE, CaseStatus.ON_HOLD, CaseStatus.EVALUATING]
)


def with_flags(rows: QuerySet) -> QuerySet:
    """Each flag as a boolean column `flag_<key>`, and `needs_committee` if any is set."""
    for annotate in ROW_ANNOTATORS:
        rows = annotate(rows)
    conditions = {
        key: flag.condition() if flag.after_closing else flag.condition() & FLAGGED_STATUSES
        for key, flag in FLAGS.items()
    }
    any_flag = Q()
    for condition in conditions.values():
        any_flag |= condition
    # A comparison with a missing figure (no open actions, no activity yet) is NULL in SQL, and
    # NULL OR false is NULL: each column is false unless its flag is set.
    return rows.annotate(
        **{f"flag_{key}": _true_or_false(condition) for key, condition in conditions.items()},
        needs_committee=_true_or_false(any_flag),
    )


def _true_or_false(condition: Q) -> Coalesce:
    return Coalesce(
        ExpressionWrapper(condition, output_field=BooleanField()),
        Value(False),
        output_field=BooleanField(),
    )


def flags_of(row: object) -> list[Flag]:
    """The flags set on an annotated row, in registration order."""
    return [flag for key, flag in FLAGS.items() if getattr(row, f"flag_{key}", False)]
