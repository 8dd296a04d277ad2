"""Keep only the SHA-256 of each provider subject (a broker's `sub` may be an identity number)."""

import hashlib
import re

from django.db import migrations

HASHED = re.compile(r"[0-9a-f]{64}")


def hash_subjects(apps, schema_editor):
    identities = apps.get_model("accounts", "ProviderIdentity")
    for identity in identities.objects.all().iterator():
        if not HASHED.fullmatch(identity.subject):
            identity.subject = hashlib.sha256(identity.subject.encode()).hexdigest()
            identity.save(update_fields=["subject"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(hash_subjects, migrations.RunPython.noop)]
