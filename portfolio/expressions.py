"""Database expressions the portfolio's figures are built from, for PostgreSQL and SQLite."""

from __future__ import annotations

from typing import Any

from django.db.models import Func, IntegerField


class DaysBetween(Func):
    """Whole days from `start` to `end` (two dates): negative when `end` is earlier."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def __init__(self, end: Any, start: Any) -> None:
        super().__init__(end, start)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # SQLite has no date type: julian day numbers subtract as days.
        clone = self.copy()
        clone.set_source_expressions(
            [Func(expression, function="julianday") for expression in self.get_source_expressions()]
        )
        return clone.as_sql(
            compiler, connection, template="CAST(%(expressions)s AS INTEGER)", **extra
        )
