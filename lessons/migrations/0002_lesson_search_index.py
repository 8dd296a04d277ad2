"""The GIN index that serves the library's full-text search on PostgreSQL. SQLite (development)
has no such index type; there the migration does nothing (the library searches with icontains).
"""

from __future__ import annotations

from django.db import migrations

NAME = "lesson_search_vector_gin"


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON lessons_lesson USING gin (search_vector)"
    )


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("lessons", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
