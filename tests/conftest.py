"""Shared fixtures. The demo personas are the test personas:

anna (committee), carl (coordinator of the two Södertälje cases), petra (Polismyndigheten, partner),
sara (Södertälje kommun, lead, organisation admin), olle (Fryshuset, observer),
eve (Kiruna kommun, in no restricted case).
"""

from __future__ import annotations

import copy
import os
import socket
import uuid
from collections.abc import Iterator
from types import SimpleNamespace
from urllib.parse import urlparse, urlunparse

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.signals import clear_cache_handlers
from django.utils import translation
from pytest_django.plugin import blocking_manager_key

from agencies.models import Organisation
from cases.demo import demo_data_present, load_demo_data
from cases.models import Action, Case
from config.celery import app as celery_app

IN_CI = bool(os.environ.get("CI"))
REDIS_DATABASES = 16  # redis-server's default `databases`


def _xdist_worker_index() -> int | None:
    """0 for pytest-xdist's worker gw0, 1 for gw1, ...; None when the tests run in one process."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(worker[2:]) if worker.startswith("gw") else None


def _redis_url_of_worker(url: str, index: int) -> str:
    """REDIS_URL's database number plus the worker's index: redis://h:6379/3 -> /3, /4, ..."""
    parsed = urlparse(url)
    base = int(parsed.path.strip("/") or 0)
    number = base + index
    if number >= REDIS_DATABASES:
        raise pytest.UsageError(
            f"xdist worker {index} would use Redis database {number} ({url} plus the worker's "
            f"index), but Redis has {REDIS_DATABASES}: lower REDIS_URL's number or use fewer -n"
        )
    return urlunparse(parsed._replace(path=f"/{number}"))


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist, each worker process uses a Redis database of its own.

    The cache and the Celery broker share REDIS_URL's database. Workers share nothing else (each
    has its own test database, `test_<name>_gw<N>`), and the real Celery workers that some tests
    start consume the broker's queue: on a shared database, one xdist worker's Celery worker
    would take another's tasks and run them on the wrong test database. Django has read its
    settings by now (pytest-django sets Django up before any conftest), so the URL is changed in
    the settings, the Celery app and the environment the tests' subprocesses inherit.
    """
    index = _xdist_worker_index()
    url = os.environ.get("REDIS_URL", "")
    if index is None or not url:
        return
    own = _redis_url_of_worker(url, index)
    os.environ["REDIS_URL"] = own
    django_settings.REDIS_URL = own
    django_settings.CELERY_BROKER_URL = own
    caches = copy.deepcopy(django_settings.CACHES)
    if caches["default"].get("LOCATION") == url:
        caches["default"]["LOCATION"] = own
    django_settings.CACHES = caches
    clear_cache_handlers(setting="CACHES")  # nothing may keep a connection to the shared one
    celery_app.conf.update(broker_url=own)


# Under pytest-xdist each of these runs whole in one worker (in file order), as does every other
# test file (a test at a time would cost a round trip to the controller per test). The
# Schemathesis module's closing test reads what the module's generated tests answered in its
# process; the webhook worker module shares one Celery worker; the browser package shares one
# live server, one Chromium and one reload of the demo data. (`xdist_group` marks would say
# this, but on pytest 9.2 `--dist loadgroup` silently ignores them: pytest-dev/pytest-xdist#1386.)
ONE_WORKER = ("tests/api/test_schemathesis.py", "tests/webhooks/test_worker.py", "tests/browser/")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """xdist's default (`-n` alone, or `--dist load`), keeping each ONE_WORKER entry together."""
    if config.getoption("dist") != "load":
        return None  # a mode chosen on the command line (loadfile, worksteal, ...) is kept
    from xdist.scheduler import LoadScopeScheduling

    class TogetherScheduling(LoadScopeScheduling):
        """LoadScope's units are scopes (largest first); here, a ONE_WORKER entry or a file."""

        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return next((entry for entry in ONE_WORKER if path.startswith(entry)), path)

    return TogetherScheduling(config, log)


def _load_demo_data() -> None:
    """The demo data, with its emails sent as the in-process schedule sends them (no email is
    sent inside the change that caused it), so no test starts with the demo's emails pending.

    Every event of the demo is fanned out here and now, also when the load's hand-offs went to
    a broker no worker reads (a reload after a transactional test, with REDIS_URL set): a later
    test's worker or sweeper must never fan out, and email, the demo's past."""
    from notifications.services import events_fan_out_waiting
    from tests.helpers import run_scheduled_sends

    load_demo_data()
    for _sent in events_fan_out_waiting(limit=100_000):
        pass
    run_scheduled_sends()


def need(condition: bool, reason: str) -> None:
    """Skip with a printed reason on a laptop; fail in CI, where everything must run."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _language_does_not_leak() -> Iterator[None]:
    """A request in Swedish leaves Swedish active in the thread; later tests expect the default."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache_counters(settings) -> None:  # type: ignore[no-untyped-def]
    """Throttle counters (API, bad tokens, password resets) live in the cache; each test counts
    under its own key prefix, so one test's requests never throttle the next test's.

    Never `cache.clear()`: with REDIS_URL set that would flush a database the broker shares.
    """
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture
def postgres() -> None:
    need(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL")


def _redis_answers(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), 1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    need(bool(url) and _redis_answers(url), "needs Redis: set REDIS_URL to a running server")
    return url


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference data and the demo scenario once; each test rolls back its changes."""
    with django_db_blocker.unblock():
        if not demo_data_present():
            _load_demo_data()


def _flushes_the_database(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return "transactional_db" in getattr(item, "fixturenames", ())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):  # type: ignore[no-untyped-def]
    """A transactional test flushes the database when its fixtures end. Put the reference and
    demo data back, committed, right after: the next test, whatever file it is in, starts from
    the session's data (under xdist a worker may run a transactional test before files that only
    read the reference data; serially pytest-django runs those tests last)."""
    result = yield
    # After the last test the session's fixtures are gone with the test database: nothing to do.
    if nextitem is None:
        return result
    if _flushes_the_database(item) and item.config.stash.get(blocking_manager_key, None):
        with item.config.stash[blocking_manager_key].unblock():
            if not demo_data_present():
                _load_demo_data()
    return result


def _demo() -> SimpleNamespace:
    if not demo_data_present():  # a transactional test flushed the database
        _load_demo_data()
    users = {u.username: u for u in get_user_model().objects.all()}
    cases = {
        "youth": Case.objects.get(title__startswith="Unga i kriminalitet"),
        "care": Case.objects.get(title__startswith="Långa köer"),
        "school": Case.objects.get(title__startswith="Långvarig skolfrånvaro"),
        "public": Case.objects.get(title__startswith="Ofrivillig ensamhet"),
    }
    orgs = {
        "police": Organisation.objects.get(name="Polismyndigheten"),
        "sodertalje": Organisation.objects.get(municipality_code="0181"),
        "region_stockholm": Organisation.objects.get(kind="region", region_code="01"),
        "fryshuset": Organisation.objects.get(name="Fryshuset"),
        "kiruna": Organisation.objects.get(municipality_code="2584"),
        "region_skane": Organisation.objects.get(kind="region", region_code="12"),
        "malmo": Organisation.objects.get(municipality_code="1280"),
    }
    youth_actions = {
        a.title.split()[0].lower(): a for a in Action.objects.filter(case=cases["youth"])
    }
    return SimpleNamespace(
        **users,
        **cases,
        orgs=SimpleNamespace(**orgs),
        cases=cases,
        actions=SimpleNamespace(
            picture=youth_actions["gemensam"],
            talks=youth_actions["förebyggande"],
            fieldwork=youth_actions["fältarbete"],
            bup=youth_actions["snabbare"],
        ),
    )


@pytest.fixture
def demo(db) -> SimpleNamespace:
    """The demo world: personas by name (demo.anna), cases (demo.youth), orgs, actions."""
    return _demo()


@pytest.fixture
def transactional_demo(transactional_db) -> SimpleNamespace:
    return _demo()


@pytest.fixture
def emails_at_once(request) -> None:
    """Every user has chosen email at once for every kind: for the tests of the email channel
    itself (claims, retries, languages), which a default of the daily digest would bypass."""
    from django.contrib.auth import get_user_model

    from notifications.choices import EmailMode
    from notifications.models import NotificationPreference
    from notifications.preferences import PREFERENCE_KEYS

    request.getfixturevalue(
        "transactional_demo" if "transactional_db" in request.fixturenames else "demo"
    )
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(user=user, kind=key, email=EmailMode.IMMEDIATELY)
            for user in get_user_model().objects.all()
            for key in PREFERENCE_KEYS
        ],
        ignore_conflicts=True,
    )
