"""The portfolio's figures against the demo, counted by hand from cases/demo.py.

The demo's four cases (all active):
- youth (Södertälje): actions picture (police, in progress, due in 20 days), talks (Södertälje with
  the police, blocked), fieldwork (Södertälje with Region Stockholm, 10 days overdue), BUP
  (Region Stockholm, planned): 4 open, 1 overdue, 1 blocked. Outcomes: suspects, latest approved
  46 (month 21 of 24; baseline 60, target 40): 70 % of the way after 21 of ~37 months → on track;
  occupied, latest approved 88 (month 23; 82 → 90): 75 % after 23 of ~37 months → on track.
- school (Södertälje): three Region Stockholm actions, one 5 days overdue, one blocked: 3 open.
  Absence: latest approved 6 (month 2; 6 → 3): 0 % though time has gone → off track.
- care (Skåne, Malmö): one action, none overdue or blocked. Wait: latest approved 64 (month 22;
  95 → 30): 31/65 = 48 % after 22 of ~41 months (54 %) → off track.
- public (Gotland): one planned action, no outcomes.
Leads: Södertälje kommun, Region Stockholm, Region Skåne, Region Gotland's municipality.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from cases.models import Case
from notifications.models import Event
from portfolio import selectors
from portfolio.collaboration import key_figures, partners, sector_matrix

pytestmark = pytest.mark.django_db


def _rows(demo) -> dict[str, Case]:
    rows = selectors.portfolio_rows(Case.objects.filter(pk__in=[c.pk for c in demo.cases.values()]))
    by_pk = {row.pk: row for row in rows}
    return {name: by_pk[case.pk] for name, case in demo.cases.items()}


def test_overdue_and_blocked_actions_are_counted_per_case(demo) -> None:
    rows = _rows(demo)
    assert [
        (rows[n].overdue_count, rows[n].blocked_count, rows[n].open_count)
        for n in ["youth", "school", "care", "public"]
    ] == [(1, 1, 4), (1, 1, 3), (0, 0, 1), (0, 0, 1)]


def test_outcome_progress_counts_only_approved_values_against_the_pace_to_the_target(demo) -> None:
    rows = _rows(demo)
    assert (rows["youth"].outcomes_measured, rows["youth"].outcomes_on_track) == (2, 2)
    assert rows["youth"].on_track_share == 1.0
    assert (rows["school"].outcomes_measured, rows["school"].outcomes_on_track) == (1, 0)
    assert (rows["care"].outcomes_measured, rows["care"].outcomes_on_track) == (1, 0)
    assert rows["care"].on_track_share == 0.0
    assert (rows["public"].outcomes_measured, rows["public"].on_track_share) == (0, None)


def test_each_case_shows_its_active_lead_organisation_and_region(demo) -> None:
    rows = _rows(demo)
    assert rows["youth"].lead_name == "Södertälje kommun"
    assert rows["school"].lead_name == "Region Stockholm"
    assert rows["care"].lead_name == "Region Skåne"
    assert rows["care"].lead_kind == "region"
    assert [a.name for a in selectors.case_regions(rows["care"])] == ["Skåne län"]
    assert [a.name for a in selectors.case_regions(rows["public"])] == ["Gotlands län"]


def test_flags_name_the_cases_that_need_the_committee(demo) -> None:
    rows = _rows(demo)
    # Off track: school and care (every measured outcome behind). Overdue: above 25 % of open
    # actions is school's 1 of 3; youth's 1 of 4 is exactly 25 %, not above.
    assert sorted(n for n in rows if rows[n].flag_off_track) == ["care", "school"]
    assert sorted(n for n in rows if rows[n].flag_overdue) == ["school"]
    assert not any(rows[n].flag_inactive for n in rows)
    assert sorted(n for n in rows if rows[n].needs_committee) == ["care", "school"]


def test_the_overdue_threshold_is_a_setting(demo) -> None:
    with override_settings(PORTFOLIO_OVERDUE_SHARE=0.2):
        rows = _rows(demo)
    assert sorted(n for n in rows if rows[n].flag_overdue) == ["school", "youth"]


def test_a_case_without_activity_for_thirty_days_is_flagged(demo) -> None:
    long_ago = timezone.now() - timedelta(days=31)
    Event.objects.filter(case=demo.public).update(created_at=long_ago)
    Case.objects.filter(pk=demo.public.pk).update(updated_at=long_ago)
    rows = _rows(demo)
    assert rows["public"].days_since_activity == 31
    assert rows["public"].flag_inactive and rows["public"].needs_committee
    assert rows["youth"].days_since_activity == 0


def test_the_map_counts_active_cases_per_lan_once_each(demo) -> None:
    counts = {row.area.code: row.count for row in selectors.county_counts(Case.objects.all())}
    assert len(counts) == 21
    assert {code: n for code, n in counts.items() if n} == {"01": 2, "09": 1, "12": 1}
    public = selectors.county_counts(selectors.portfolio_cases(demo.eve, public=True))
    assert {row.area.code: row.count for row in public if row.count} == {"09": 1}


def test_the_municipality_view_counts_cases_naming_each_municipality(demo) -> None:
    skane = {
        row.area.code: row.count for row in selectors.municipality_counts(Case.objects.all(), "12")
    }
    assert skane["1280"] == 1 and sum(skane.values()) == 1
    assert selectors.county_wide_count(Case.objects.all(), "12") == 1
    stockholm = selectors.municipality_counts(Case.objects.all(), "01")
    assert [(r.area.name, r.count) for r in stockholm if r.count] == [("Södertälje kommun", 2)]


def test_the_sector_matrix_counts_shared_cases_and_actions(demo) -> None:
    pairs = {(p.first, p.second): (p.cases, p.actions) for p in sector_matrix(Case.objects.all())}
    nonzero = {key: value for key, value in pairs.items() if value != (0, 0)}
    # youth: municipality, state agency, region, civil society (one each); care: region and
    # municipality. Actions: talks (municipality + police), fieldwork (municipality + region),
    # the care case's assessment template (region + municipality). The lessons demo's two Malmö
    # cases: municipality and region, without shared actions.
    assert nonzero == {
        ("state_agency", "municipality"): (1, 1),
        ("state_agency", "region"): (1, 0),
        ("state_agency", "civil_society"): (1, 0),
        ("municipality", "region"): (4, 2),
        ("municipality", "civil_society"): (1, 0),
        ("region", "civil_society"): (1, 0),
    }
    assert len(pairs) == 10


def test_key_figures_share_of_joint_actions_and_three_sector_cases(demo) -> None:
    figures = key_figures(Case.objects.all())
    # 9 actions, 3 with two organisations; 7 cases (the closed Malmö case of the effect
    # follow-ups and the lessons demo's two with them), only youth with 3 or more sectors.
    assert (figures.actions, figures.actions_shared) == (9, 3)
    assert (figures.cases, figures.cases_three_sectors) == (7, 1)
    public = key_figures(selectors.portfolio_cases(demo.eve, public=True))
    assert (public.actions, public.actions_shared, public.cases, public.cases_three_sectors) == (
        1,
        0,
        1,
        0,
    )


def test_an_organisations_partners_with_shared_cases_and_actions(demo) -> None:
    rows = partners(Case.objects.all(), demo.orgs.sodertalje)
    assert [(o.name, o.shared_cases, o.shared_actions) for o in rows] == [
        ("Polismyndigheten", 1, 1),
        ("Region Stockholm", 1, 1),
        ("Fryshuset", 1, 0),
    ]


def test_a_flag_registered_by_another_app_is_computed_and_filterable(demo, monkeypatch) -> None:
    """The hook for later flags (e.g. overdue effect follow-ups): one registration."""
    from django.db.models import Q

    from portfolio import flags

    monkeypatch.setattr(flags, "FLAGS", dict(flags.FLAGS))
    flags.flag_register(flags.Flag("high_priority", "High priority", lambda: Q(priority="high")))
    rows = selectors.portfolio_filter(
        selectors.portfolio_rows(Case.objects.all()), {"flag": "high_priority"}
    )
    assert [row.pk for row in rows] == [demo.youth.pk]
    assert [flag.key for flag in flags.flags_of(rows[0])] == ["high_priority"]


def test_every_row_says_yes_or_no_to_each_flag_even_without_figures(demo) -> None:
    """A case without open actions or activity has no overdue share: its flags are false, not
    unknown (the API documents booleans)."""
    rows = list(selectors.portfolio_rows(selectors.portfolio_cases(demo.anna, public=False)))
    assert rows and all(isinstance(row.needs_committee, bool) for row in rows)
    assert all(isinstance(row.flag_overdue, bool) for row in rows)
