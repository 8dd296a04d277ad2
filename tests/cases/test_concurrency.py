from __future__ import annotations

import threading

import pytest
from django.db import connection

from cases import services
from cases.models import Case, Theme


@pytest.mark.usefixtures("postgres")
def test_concurrent_case_creation_never_shares_a_reference(transactional_demo) -> None:
    demo = transactional_demo
    theme = Theme.objects.first()
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def create(n: int) -> None:
        try:
            barrier.wait()
            for i in range(5):
                services.case_create(
                    actor=demo.anna,
                    title=f"Parallell {n}-{i}",
                    summary="S",
                    theme=theme,
                    is_national=True,
                )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    references = list(
        Case.objects.filter(title__startswith="Parallell").values_list("reference", flat=True)
    )
    assert len(references) == 30
    assert len(set(references)) == 30
