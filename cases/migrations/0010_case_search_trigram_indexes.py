"""Trigram indexes for the case list's text search (`/cases/?q=`) on PostgreSQL.

The search is `icontains` on title, summary and reference, which Django writes as
`UPPER(column) LIKE UPPER('%text%')`: no b-tree can serve a pattern that starts with a wildcard,
so PostgreSQL read every case. A GIN index of `UPPER(column) gin_trgm_ops` serves exactly that
expression, one per column, combined with a BitmapOr. SQLite (development) has no such index
type; there the migration does nothing.
"""

from __future__ import annotations

from django.db import migrations

COLUMNS = ("title", "summary", "reference")


def _name(column: str) -> str:
    return f"case_{column}_upper_trgm"


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {_name(column)} ON cases_case "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {_name(column)}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_case_page_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
