from django.db import migrations

from cases.themes import ensure_themes_and_committee


def forwards(apps, schema_editor):
    ensure_themes_and_committee(
        apps.get_model("cases", "Theme"), apps.get_model("auth", "Group"), "committee"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
