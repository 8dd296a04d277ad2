"""The dashboard's recent activity and "my cases": the same answer as reading everything and
sorting it, from one query each, for a follower of many busy cases."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cases.models import Case
from cases.selectors import my_cases
from notifications.choices import EventKind
from notifications.models import CaseFollow, Event
from notifications.selectors import activity_on_followed_cases


def _events(case: Case, count: int, *, start, step: timedelta) -> None:
    Event.objects.bulk_create(
        Event(kind=EventKind.CASE_UPDATED, case=case, created_at=start + n * step, payload={})
        for n in range(count)
    )


def _newest_by_sorting_everything(user, limit: int) -> list[int]:
    followed = CaseFollow.objects.filter(user=user).values("case_id")
    events = Event.objects.filter(case_id__in=followed).order_by("-created_at", "-id")
    return list(events.values_list("pk", flat=True)[:limit])


def test_activity_is_the_newest_events_across_followed_cases_interleaved(demo) -> None:
    now = timezone.now()
    # One busy case whose events all lie in the past hour, another with a few very recent ones
    # and a slow one: the newest 30 mix all three.
    _events(demo.youth, 40, start=now - timedelta(hours=1), step=timedelta(minutes=1))
    _events(demo.school, 5, start=now - timedelta(minutes=3), step=timedelta(seconds=20))
    _events(demo.public, 3, start=now - timedelta(minutes=30), step=timedelta(minutes=10))
    for case in (demo.youth, demo.school, demo.public):
        CaseFollow.objects.get_or_create(user=demo.carl, case=case)

    activity = activity_on_followed_cases(demo.carl, limit=30)

    assert [e.pk for e in activity] == _newest_by_sorting_everything(demo.carl, 30)
    assert {e.case_id for e in activity} == {demo.youth.pk, demo.school.pk, demo.public.pk}


def test_activity_leaves_out_a_followed_case_the_user_may_no_longer_see(demo) -> None:
    _events(demo.care, 3, start=timezone.now(), step=timedelta(seconds=1))
    CaseFollow.objects.create(user=demo.eve, case=demo.care)  # restricted; eve is not in it
    assert all(e.case_id != demo.care.pk for e in activity_on_followed_cases(demo.eve, limit=50))


def test_activity_is_one_query_whatever_the_number_of_followed_cases(
    demo, django_assert_num_queries
) -> None:
    for case in (demo.youth, demo.school, demo.care, demo.public):
        CaseFollow.objects.get_or_create(user=demo.anna, case=case)
        _events(case, 15, start=timezone.now(), step=timedelta(seconds=1))
    activity_on_followed_cases(demo.anna, limit=1)  # who anna is (committee) is now known
    with django_assert_num_queries(1):
        activity = activity_on_followed_cases(demo.anna, limit=20)
    assert len(activity) == 20
    assert [e.pk for e in activity] == _newest_by_sorting_everything(demo.anna, 20)
    assert activity[0].case.reference and activity[0].actor is None  # no query per row


def test_my_cases_lists_each_case_once_for_any_of_its_reasons(demo) -> None:
    # Petra: her organisation takes part in the youth case; she follows the public case.
    CaseFollow.objects.get_or_create(user=demo.petra, case=demo.public)
    CaseFollow.objects.get_or_create(user=demo.petra, case=demo.youth)
    assert {c.pk for c in my_cases(demo.petra)} == {demo.youth.pk, demo.public.pk}
    # Carl coordinates two cases; a follow of a restricted case he cannot see adds nothing.
    CaseFollow.objects.get_or_create(user=demo.carl, case=demo.care)
    assert {c.pk for c in my_cases(demo.carl)} == {demo.youth.pk, demo.school.pk}
    assert len(list(my_cases(demo.carl))) == 2
