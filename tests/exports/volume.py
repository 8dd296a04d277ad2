"""Many measurements at once, for the tests and the benchmark of exports at volume."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

from cases.models import Measurement, Outcome


def add_measurements(demo: SimpleNamespace, count: int) -> Outcome:
    """`count` approved values of a youth-case outcome, each on a day before all its values so
    far, written in bulk (the rules of reporting are not what is measured here)."""
    outcome = Outcome.objects.get(case=demo.youth, title__startswith="Färre unga")
    oldest = Measurement.objects.filter(outcome=outcome).order_by("measured_on").first()
    start = min(outcome.baseline_date, oldest.measured_on) - timedelta(days=1)
    Measurement.objects.bulk_create(
        [
            Measurement(
                outcome=outcome,
                organisation=demo.orgs.police,
                reported_by=demo.petra,
                value=Decimal(40 + n % 20) + Decimal("0.25"),
                measured_on=start - timedelta(days=n),
                note=f"Rad {n}",
                review_state="approved",
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    return outcome
