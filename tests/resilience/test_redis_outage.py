"""R1 at CI size: benchmarks/redis_outage.py's harness with 100 API changes and Redis (the app's
cache and broker) killed for 8 s midway, restarted empty. Real gunicorn, Celery worker and beat,
SMTP server and signature-checking webhook receiver."""

from __future__ import annotations

import shutil

import pytest
from django.db import connection

from benchmarks.redis_outage import run
from tests.conftest import need

pytestmark = [pytest.mark.slow, pytest.mark.redis, pytest.mark.postgres]

# What a restarted Redis lost is found again within seconds here (minutes by default).
FAST_RECOVERY = {
    "NOTIFICATIONS_SWEEP_INTERVAL": "2",
    "NOTIFICATIONS_SWEEP_GRACE": "5",
    "NOTIFICATIONS_SWEEP_RESEND": "10",
    "WEBHOOK_DUE_SWEEP_INTERVAL": "2",
    "WEBHOOK_REQUEUE_GRACE": "10",
}


def test_redis_killed_mid_run_every_request_succeeds_and_everything_arrives_once(
    postgres, transactional_demo, redis_url, tmp_path
) -> None:
    need(shutil.which("redis-server") is not None, "needs the redis-server program")
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER'] or 'postgres'}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )

    outcome = run(
        changes=100, outage=8, database_url=url, workdir=tmp_path, env=FAST_RECOVERY,
        settle_timeout=240,
    )  # fmt: skip

    print("\n" + "\n".join(outcome.lines()))
    assert outcome.ok == 100, outcome.statuses
    assert outcome.outage_latencies, "some changes were made while Redis was down"
    assert outcome.settled
    assert outcome.events == 100
    assert (outcome.inbox_found, outcome.inbox_missing, outcome.inbox_doubled) == (
        outcome.inbox_expected, 0, 0,
    )  # fmt: skip
    assert outcome.emails_expected > 0 and outcome.emails_missing == 0
    assert outcome.email_duplicates == 0
    assert outcome.webhooks_expected == 100
    assert (outcome.webhooks_missing, outcome.webhook_duplicates, outcome.bad_signatures) == (
        0, 0, 0,
    )  # fmt: skip
