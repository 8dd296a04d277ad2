"""What the app serves for one case, as JSON: `python -m tests.ops.serve_case <reference>`.

Run against whatever DATABASE_URL names (the backup test points it at a restored database);
`case_view` is also called in the test process for the original. Not a test module."""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any


def case_view(reference: str) -> dict[str, Any]:
    """The case page and the API timeline as anna (committee) sees them."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from cases.models import Case

    case = Case.objects.get(reference=reference)
    client = Client()
    client.force_login(get_user_model().objects.get(username="anna"))
    page = client.get(f"/cases/{reference}/")
    html = page.content.decode()
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    history = client.get(f"/api/v1/cases/{case.pk}/history/")
    return {
        "status": page.status_code,
        "heading": " ".join(re.sub(r"<[^>]+>", " ", heading.group(1)).split()) if heading else "",
        "title_on_page": case.title in html,
        "history_status": history.status_code,
        "history": history.json(),
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()
    json.dump(case_view(sys.argv[1]), sys.stdout)
