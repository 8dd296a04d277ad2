"""The measuring half of the scale benchmark (see benchmarks/scale.py).

One process, Django's test client, DEBUG off. Both databases are configured (`default` is the
demo-sized one, `big` the national-scale one); before each batch the default connection is
pointed at one of them, so the very same code, templates and users answer on both, batch after
batch, and both see the same machine load. Query counts come from a separate pass with
CaptureQueriesContext, so the timed requests carry no query log.
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass

NAMES = ("small", "big")


@dataclass
class Request:
    label: str
    username: str
    path: str


def _configure(small_url: str, big_url: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": small_url,
            "DEBUG": "off",
            "REDIS_URL": "",  # no throttle or cache state shared between the two databases
            "SECRET_KEY": "scale-benchmark-only-secret-key-not-used-anywhere-else-0123456789",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "off",
            "SECURE_COOKIES": "off",
            "API_THROTTLE_USER": "1000000/hour",
            # Connections are kept between requests, as a production server does: the figures
            # are the queries' cost, not the cost of connecting.
            "CONN_MAX_AGE": "600",
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django
    from django.conf import settings

    django.setup()
    from urllib.parse import urlparse

    # Static file names as they are: no collectstatic manifest is needed to render the pages.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    settings.DATABASES["big"] = {
        **settings.DATABASES["default"],
        "NAME": urlparse(big_url).path.lstrip("/"),
    }


def _requests(wrappers: dict) -> list[Request]:
    """The same requests on both databases; ids are looked up in each (they are the same:
    the demo data is loaded first in both)."""
    from django.db import connections

    from cases.models import Case, Outcome

    ids = {}
    for name, wrapper in wrappers.items():
        connections["default"] = wrapper
        case = Case.objects.get(reference="SAM-2026-0001")
        outcome = (
            Outcome.objects.filter(case=case)
            .annotate(n=__import__("django.db.models", fromlist=["Count"]).Count("measurements"))
            .order_by("-n", "id")
            .first()
        )
        ids[name] = (case.pk, case.reference, outcome.pk)
    assert ids["small"][:2] == ids["big"][:2], ids
    case_id, reference, _ = ids["big"]
    requests = []
    for user in ("anna", "petra", "sara"):
        requests += [
            Request("API case list", user, "/api/v1/cases/"),
            Request("API actions by case", user, f"/api/v1/actions/?case={case_id}"),
            Request("API case history", user, f"/api/v1/cases/{case_id}/history/"),
            Request("API measurements", user, "/api/v1/outcomes/{outcome}/measurements/"),
            Request("dashboard", user, "/"),
            Request("case search", user, "/cases/?q=unga"),
            Request("largest case page", user, f"/cases/{reference}/"),
            Request("my actions", user, "/my-actions/"),
            Request("inbox", user, "/notifications/"),
        ]
    return requests, {name: value[2] for name, value in ids.items()}


def run(small_url: str, big_url: str, *, batches: int, size: int) -> None:
    _configure(small_url, big_url)
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    wrappers = {"small": connections["default"], "big": connections["big"]}
    requests, outcome_ids = _requests(wrappers)
    clients: dict[tuple[str, str], Client] = {}
    for name, wrapper in wrappers.items():
        connections["default"] = wrapper
        for username in {r.username for r in requests}:
            client = Client()
            client.force_login(get_user_model().objects.get(username=username))
            clients[name, username] = client

    def get(name: str, request: Request) -> tuple[int, int]:
        connections["default"] = wrappers[name]
        path = request.path.replace("{outcome}", str(outcome_ids[name]))
        response = clients[name, request.username].get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{name} {request.username} {path}: {response.status_code}")
        return response.status_code, len(response.content)

    print(f"{len(requests)} requests, {batches} interleaved batches of {size} on each database")
    header = f"{'request':<22} {'user':<6} {'small ms':>9} {'big ms':>9} {'big/small':>9}"
    print(f"{header} {'queries':>9}  {'kB (s/b)':>11}")
    ratios = []
    for request in requests:
        counts, sizes = {}, {}
        for name in NAMES:  # warm-up and query count
            get(name, request)
            with CaptureQueriesContext(connections["default"]) as queries:
                sizes[name] = get(name, request)[1]
            counts[name] = len(queries)
        times: dict[str, list[float]] = {name: [] for name in NAMES}
        for batch in range(batches):
            order = NAMES if batch % 2 == 0 else NAMES[::-1]
            for name in order:
                started = time.perf_counter()
                for _ in range(size):
                    get(name, request)
                times[name].append((time.perf_counter() - started) / size)
        small, big = (statistics.median(times[name]) * 1000 for name in NAMES)
        ratios.append(big / small)
        print(
            f"{request.label:<22} {request.username:<6} {small:>9.1f} {big:>9.1f} "
            f"{big / small:>9.2f} {counts['small']:>4}/{counts['big']:<4} "
            f"{sizes['small'] / 1000:>5.0f}/{sizes['big'] / 1000:<5.0f}",
            flush=True,
        )
    print(f"worst ratio {max(ratios):.2f}; ratios above 1.5: {sum(r > 1.5 for r in ratios)}")
