"""Decision numbers: per year, without gaps or duplicates, also when many record at once."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection

from decisions.models import Decision
from decisions.services import decision_take

THREADS = 8
PER_THREAD = 10
YEAR = 2025  # a year of its own: the demo's decisions are this year's


@pytest.mark.usefixtures("postgres")
@pytest.mark.django_db(transaction=True)
def test_eight_committee_members_at_once_get_eighty_numbers_without_gaps(
    transactional_demo,
) -> None:
    demo = transactional_demo
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def record(n: int) -> None:
        try:
            barrier.wait()
            for i in range(PER_THREAD):
                decision_take(
                    actor=demo.anna,
                    case=demo.youth,
                    decided_on=date(YEAR, 6, 1),
                    text=f"Parallellt beslut {n}-{i}",
                )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=record, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Decision.objects.filter(year=YEAR).values_list("number", flat=True))
    assert numbers == list(range(1, THREADS * PER_THREAD + 1))


def test_numbers_start_again_at_one_each_year(demo) -> None:
    first = decision_take(actor=demo.anna, case=demo.youth, decided_on=date(2023, 3, 1), text="A")
    second = decision_take(
        actor=demo.anna, case=demo.youth, decided_on=date(2023, 12, 31), text="B"
    )
    other_year = decision_take(
        actor=demo.anna, case=demo.youth, decided_on=date(2024, 1, 2), text="C"
    )
    assert (first.reference, second.reference, other_year.reference) == (
        "2023:1",
        "2023:2",
        "2024:1",
    )


def test_a_refused_decision_gives_its_number_back(demo) -> None:
    decision_take(actor=demo.anna, case=demo.youth, decided_on=date(2022, 3, 1), text="A")
    with pytest.raises(Exception):  # noqa: B017 - any refusal; what matters is the next number
        decision_take(
            actor=demo.anna,
            case=demo.youth,
            decided_on=date(2022, 3, 2),
            text="B",
            decided_by="delegate",  # without a delegate: refused
        )
    after = decision_take(actor=demo.anna, case=demo.youth, decided_on=date(2022, 3, 3), text="C")
    assert after.reference == "2022:2"
