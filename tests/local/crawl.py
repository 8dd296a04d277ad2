"""Walk the product as `make run` serves it (SQLite, no Redis): every page each persona reaches
by following links from the dashboard, and print the address of any that fails.

Run by tests/local/test_sqlite_pages.py in its own process with DATABASE_URL pointing at a fresh
SQLite file; prints one line "pages N failures M" and then each failure.
"""

from __future__ import annotations

import os
import re
import sys
from collections import deque

os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

# Not worth walking: sign-out ends the walk, the admin and the API docs are other products'
# pages, downloads are files (exports are tested on SQLite by their own tests).
SKIP = re.compile(
    r"^/(accounts/logout|logout|admin/|i18n/|static/|media/|api/|dev/mailbox/.+/raw|favicon)"
    r"|/(export|download|report|feed)[^/]*(/|$)|\.ics$|\.(csv|xlsx|pdf|json|atom)(\?|$)"
)
LINK = re.compile(r'href="(/[^"#]*)"')
PER_PERSONA = int(os.environ.get("CRAWL_PAGES", "120"))


def walk(client: Client, start: str) -> tuple[int, list[str]]:
    seen, failures = {start}, []
    queue: deque[str] = deque([start])
    visited = 0
    while queue and visited < PER_PERSONA:
        path = queue.popleft()
        response = client.get(path)
        visited += 1
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {path}")
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for link in LINK.findall(response.content.decode()):
            link = link.replace("&amp;", "&")
            if link not in seen and not SKIP.search(link) and "page=" not in link:
                seen.add(link)
                queue.append(link)
    return visited, failures


def main() -> int:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    from django.contrib.auth import get_user_model

    total, failures = 0, []
    for username in ("anna", "carl", "petra", "sara", "eve", None):
        client = Client(raise_request_exception=False)
        if username:
            client.force_login(get_user_model().objects.get(username=username))
        visited, failed = walk(client, "/" if username else "/accounts/login/")
        total += visited
        failures += [f"{username or 'anonymous'}: {line}" for line in failed]
    print(f"pages {total} failures {len(failures)}")
    print("\n".join(failures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
