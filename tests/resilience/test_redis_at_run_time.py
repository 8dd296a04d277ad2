"""Redis is optional at run time: with the Redis that the cache and the broker use stopped or
frozen (SIGSTOP: it accepts connections and never answers), every API call still succeeds, the
throttles keep counting in the web process, and a request pays at most one short timeout."""

from __future__ import annotations

import signal
import statistics
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from agencies.services import api_token_create
from config import cache as failsafe
from notifications.models import Event
from tests.notifications.conftest import RedisServer, _publishing_to

pytestmark = [pytest.mark.redis]


def _cache_on(settings, server: RedisServer) -> None:  # type: ignore[no-untyped-def]
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FailSafeRedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }


def _user_rate(settings, rate: str) -> None:  # type: ignore[no-untyped-def]
    rates = {**django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user": rate}
    settings.REST_FRAMEWORK = {**django_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def _client(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    _token, secret = api_token_create(user=user, name="resilience")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def fallbacks() -> Iterator[list[str]]:
    """The reasons of every cache call served in-process, as a metrics exporter would see them."""
    seen: list[str] = []

    def receive(sender, operation: str, reason: str, **kwargs) -> None:  # type: ignore[no-untyped-def]
        seen.append(reason)

    failsafe.cache_fallback.connect(receive)
    yield seen
    failsafe.cache_fallback.disconnect(receive)


@contextmanager
def frozen(server: RedisServer) -> Iterator[None]:
    assert server.process is not None
    server.process.send_signal(signal.SIGSTOP)
    try:
        yield
    finally:
        server.process.send_signal(signal.SIGCONT)


def test_with_redis_stopped_the_api_answers_and_still_throttles_per_process(
    demo, own_redis, settings, fallbacks, caplog
) -> None:
    _cache_on(settings, own_redis)
    _user_rate(settings, "3/minute")
    client = _client(demo.olle)
    assert client.get("/api/v1/cases/").status_code == 200  # counted in Redis
    own_redis.stop()

    codes = [client.get("/api/v1/cases/").status_code for _ in range(4)]

    # One more allowed (counting starts again in memory), then the limit holds: no 500.
    assert codes == [200, 200, 200, 429]
    assert fallbacks and fallbacks[0] == "error"
    warnings = [r for r in caplog.records if r.name == "config.cache"]
    assert len(warnings) == 1, "one log line per breaker period, not one per request"


def test_a_frozen_redis_costs_one_timeout_per_breaker_period_not_one_per_request(
    demo, own_redis, settings, fallbacks
) -> None:
    _cache_on(settings, own_redis)
    client = _client(demo.olle)
    assert client.get("/api/v1/cases/").status_code == 200

    with frozen(own_redis):
        codes = [client.get("/api/v1/cases/").status_code for _ in range(10)]

    assert codes == [200] * 10
    # Each request makes a throttle read and write; only the first call waited for Redis.
    assert fallbacks.count("error") == 1
    assert fallbacks.count("circuit open") >= 19


def test_after_the_breaker_period_the_cache_uses_redis_again(
    demo, own_redis, settings, fallbacks
) -> None:
    _cache_on(settings, own_redis)
    settings.CACHE_CIRCUIT_BREAKER_SECONDS = 0.5
    _user_rate(settings, "2/minute")
    client = _client(demo.olle)
    own_redis.stop()
    assert client.get("/api/v1/cases/").status_code == 200
    own_redis.start()  # empty: the counters of the outage stay in memory
    time.sleep(0.6)
    count = len(fallbacks)

    codes = [client.get("/api/v1/cases/").status_code for _ in range(3)]

    assert codes == [200, 200, 429]
    assert len(fallbacks) == count, "every call went to Redis again"


def _change(client: APIClient, demo, n: int) -> tuple[int, float]:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    response = client.post(
        f"/api/v1/actions/{demo.actions.picture.pk}/updates/",
        {"text": f"Rapport {n}"},
        format="json",
    )
    return response.status_code, time.monotonic() - started


@pytest.mark.postgres
def test_changes_with_the_cache_and_broker_redis_frozen_are_as_fast_as_with_it_up(
    transactional_demo, own_redis, settings, fallbacks
) -> None:
    """Side by side in one run: 15 changes with Redis answering, 15 with it frozen. Publishing
    pauses after its first timeout, and the cache after its first; the sweeper sends later."""
    demo = transactional_demo
    _cache_on(settings, own_redis)
    client = _client(demo.petra)
    with _publishing_to(own_redis.url):
        up = [_change(client, demo, n) for n in range(15)]
        with frozen(own_redis):
            down = [_change(client, demo, 100 + n) for n in range(15)]

    assert [code for code, _ in up + down] == [201] * 30
    assert Event.objects.filter(payload__text__startswith="Rapport").count() == 30
    time_up, time_down = sum(t for _, t in up), sum(t for _, t in down)
    print(f"\n15 changes: Redis up {time_up:.2f}s, frozen {time_down:.2f}s")
    # Without the pause and the breaker every frozen change would wait on the broker's 2 s
    # socket timeout (15 changes: 30 s or more). With them one change pays it once per pause
    # period and the others go at their usual pace: the typical change is as fast as with Redis
    # up, and the whole extra time is that one wait, however fast the machine.
    median_up = statistics.median(t for _, t in up)
    median_down = statistics.median(t for _, t in down)
    assert median_down < 4 * median_up, (median_up, median_down)
    assert time_down - time_up < 4.0, (time_up, time_down)
