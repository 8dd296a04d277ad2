"""The national-scale dataset of the scale benchmark, built with set-based SQL.

After `migrate`, the reference data and the demo data, every table is filled with
`INSERT … SELECT generate_series(…)` in one session: foreign-key triggers are skipped
(`session_replication_role = replica`; the rows are built from ids just read, so they hold) and the
big tables' secondary indexes are dropped before their rows go in and built again afterwards,
which is several times faster than maintaining them row by row.

Shape (the demo's Södertälje youth-crime case is made the largest: anna, petra and sara all see
it): 5,000 more cases with a lead and a partner organisation each, Polismyndigheten (petra)
partner in every 10th and Södertälje kommun (sara) in every 15th; 5,000 users, each in an
organisation and following ~25 cases; 100k actions (600 of them in the largest case), three
progress updates each; two outcomes per case with 100 measurements each (four more outcomes of
1,000 in the largest case); a history record per case, participation, action, update, outcome
and measurement; an event per action and per update, and an inbox row per event and follower
(~10M; anna follows 800 cases, ~65k rows).
"""

from __future__ import annotations

import time
from collections.abc import Callable

CASES = 5000
USERS = 5000
ACTIONS = 100_000
LARGEST_ACTIONS = 600
UPDATES_PER_ACTION = 3
OUTCOMES_PER_CASE = 2
MEASUREMENTS_PER_OUTCOME = 100
LARGEST_OUTCOMES = 4
LARGEST_MEASUREMENTS = 1000
FOLLOWS_PER_USER = 25
ANNA_FOLLOWS = 800
BIG_CASE_REFERENCE = "SAM-2026-0001"

# Tables whose secondary indexes are rebuilt after the load rather than kept up row by row.
BULK_TABLES = [
    "cases_action",
    "cases_actionupdate",
    "cases_measurement",
    "cases_historicalaction",
    "cases_historicalmeasurement",
    "notifications_event",
    "notifications_notification",
    "notifications_casefollow",
]

PREPARE = f"""
SET session_replication_role = replica;
SET synchronous_commit = off;
SET maintenance_work_mem = '512MB';
SET work_mem = '64MB';
CREATE TEMP TABLE ids AS SELECT
  (SELECT id FROM auth_user WHERE username = 'anna') AS anna,
  (SELECT id FROM auth_user WHERE username = 'petra') AS petra,
  (SELECT id FROM auth_user WHERE username = 'sara') AS sara,
  (SELECT id FROM cases_case WHERE reference = '{BIG_CASE_REFERENCE}') AS big_case,
  (SELECT id FROM agencies_organisation WHERE name = 'Polismyndigheten') AS police,
  (SELECT id FROM agencies_organisation WHERE name = 'Södertälje kommun') AS sodertalje,
  (SELECT max(id) FROM cases_case) AS case0,
  (SELECT max(id) FROM auth_user) AS user0,
  (SELECT max(id) FROM cases_action) AS action0,
  (SELECT max(id) FROM cases_outcome) AS outcome0,
  (SELECT max(id) FROM notifications_event) AS event0;
CREATE TEMP TABLE munis AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id
  FROM agencies_organisation WHERE kind = 'municipality'
  AND id <> (SELECT sodertalje FROM ids);
CREATE TEMP TABLE agencies AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, name
  FROM agencies_organisation WHERE kind = 'state_agency' AND id <> (SELECT police FROM ids);
CREATE TEMP TABLE themes AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM cases_theme;
"""

USERS_SQL = f"""
INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, email,
                       is_staff, is_active, date_joined)
SELECT ids.user0 + g, '!', false, 'scale' || g, 'Användare', g::text,
       'scale' || g || '@scale.localhost', false, true, now() - interval '2 years'
FROM ids, generate_series(1, {USERS}) g;
SELECT setval(pg_get_serial_sequence('auth_user', 'id'), (SELECT max(id) FROM auth_user));
INSERT INTO agencies_membership (role, created_at, user_id, organisation_id)
SELECT 'member', now(), ids.user0 + g,
       CASE WHEN g % 2 = 0 THEN (SELECT id FROM munis WHERE n = g % (SELECT count(*) FROM munis))
            ELSE (SELECT id FROM agencies WHERE n = g % (SELECT count(*) FROM agencies)) END
FROM ids, generate_series(1, {USERS}) g;
"""

CASES_SQL = f"""
CREATE TEMP TABLE scase AS
SELECT g AS n, ids.case0 + g AS id,
       (SELECT id FROM munis WHERE n = g % (SELECT count(*) FROM munis)) AS lead_org,
       (SELECT id FROM agencies WHERE n = (g * 7) % (SELECT count(*) FROM agencies)) AS partner_org,
       ids.user0 + 1 + (g % {USERS}) AS coordinator,
       now() - (interval '3 years') * ({CASES} - g) / {CASES} AS created_at
FROM ids, generate_series(1, {CASES}) g;
INSERT INTO cases_case (id, reference, title, summary, problem_description, is_national, priority,
                        visibility, start_date, target_date, status, version, created_at,
                        updated_at, coordinator_id, created_by_id, theme_id)
SELECT s.id, 'SKL-' || lpad(s.n::text, 6, '0'), 'Skalfall ' || s.n || ': samverkan kring unga',
       'Ett fall i skaldatat för mätning av sidornas kostnad.', '', true,
       (ARRAY['low','medium','high','critical'])[1 + s.n % 4],
       CASE WHEN s.n % 5 = 0 THEN 'public' ELSE 'restricted' END,
       s.created_at::date, s.created_at::date + 900,
       (ARRAY['active','active','active','on_hold','evaluating','closed'])[1 + s.n % 6], 1,
       s.created_at, s.created_at, s.coordinator, ids.anna,
       (SELECT id FROM themes WHERE n = s.n % (SELECT count(*) FROM themes))
FROM scase s, ids;
SELECT setval(pg_get_serial_sequence('cases_case', 'id'), (SELECT max(id) FROM cases_case));
INSERT INTO cases_participation (role, mandate, state, invited_at, responded_at, case_id,
       contact_person_id, invited_by_id, organisation_id, decline_reason)
SELECT 'lead', '', 'active', s.created_at, s.created_at, s.id, s.coordinator, ids.anna,
       s.lead_org, '' FROM scase s, ids
UNION ALL
SELECT 'partner', '', 'active', s.created_at, s.created_at, s.id, NULL, ids.anna,
       s.partner_org, '' FROM scase s, ids
UNION ALL
SELECT 'partner', '', 'active', s.created_at, s.created_at, s.id, ids.petra, ids.anna,
       ids.police, '' FROM scase s, ids WHERE s.n % 10 = 0
UNION ALL
SELECT 'contributor', '', 'active', s.created_at, s.created_at, s.id, ids.sara, ids.anna,
       ids.sodertalje, '' FROM scase s, ids WHERE s.n % 15 = 1;
INSERT INTO cases_historicalcase (id, reference, title, summary, problem_description,
       is_national, priority, visibility, start_date, target_date, status, version, created_at,
       updated_at, history_date, history_type, coordinator_id, created_by_id, history_user_id,
       theme_id)
SELECT id, reference, title, summary, problem_description, is_national, priority, visibility,
       start_date, target_date, status, version, created_at, updated_at, created_at, '+',
       coordinator_id, created_by_id, created_by_id, theme_id
FROM cases_case WHERE id > (SELECT case0 FROM ids);
INSERT INTO cases_historicalparticipation (id, role, mandate, state, invited_at, responded_at,
       history_date, history_type, case_id, contact_person_id, history_user_id, invited_by_id,
       organisation_id, decline_reason)
SELECT id, role, mandate, state, invited_at, responded_at, invited_at, '+', case_id,
       contact_person_id, invited_by_id, invited_by_id, organisation_id, decline_reason
FROM cases_participation WHERE case_id > (SELECT case0 FROM ids);
"""

# Action n belongs to the largest case for n <= LARGEST_ACTIONS, else to scale case n % CASES.
ACTIONS_SQL = f"""
CREATE TEMP TABLE saction AS
SELECT ids.action0 + g AS id, g AS n,
       CASE WHEN g <= {LARGEST_ACTIONS} THEN ids.big_case ELSE ids.case0 + 1 + g % {CASES} END
         AS case_id,
       now() - (interval '3 years') * ({ACTIONS} - g) / {ACTIONS} AS created_at
FROM ids, generate_series(1, {ACTIONS}) g;
INSERT INTO cases_action (id, title, description, start_date, due_date, status, version,
       created_at, updated_at, completed_at, assignee_id, created_by_id, lead_organisation_id,
       case_id)
SELECT a.id, 'Åtgärd ' || a.n, '', a.created_at::date, a.created_at::date + 30 + a.n % 400,
       (ARRAY['planned','in_progress','in_progress','blocked','done','cancelled'])[1 + a.n % 6],
       1, a.created_at, a.created_at, NULL, NULL, ids.anna,
       CASE WHEN a.case_id = ids.big_case
            THEN (ARRAY[ids.police, ids.sodertalje])[1 + a.n % 2]
            WHEN a.n % 3 = 0 THEN s.partner_org ELSE s.lead_org END,
       a.case_id
FROM saction a CROSS JOIN ids LEFT JOIN scase s ON s.id = a.case_id;
SELECT setval(pg_get_serial_sequence('cases_action', 'id'), (SELECT max(id) FROM cases_action));
INSERT INTO cases_actionupdate (text, old_status, new_status, created_at, action_id, author_id)
SELECT 'Lägesrapport ' || u, 'in_progress', '', a.created_at + u * interval '3 days', a.id,
       ids.user0 + 1 + (a.n * 3 + u) % {USERS}
FROM saction a, ids, generate_series(1, {UPDATES_PER_ACTION}) u;
INSERT INTO cases_historicalaction (id, title, description, start_date, due_date, status, version,
       created_at, updated_at, completed_at, history_date, history_change_reason, history_type,
       assignee_id, case_id, created_by_id, history_user_id, lead_organisation_id)
SELECT a.id, a.title, a.description, a.start_date, a.due_date, a.status, a.version, a.created_at,
       a.updated_at, a.completed_at, a.created_at + u * interval '3 days',
       CASE WHEN u = 0 THEN NULL ELSE 'Lägesrapport ' || u END,
       CASE WHEN u = 0 THEN '+' ELSE '~' END, a.assignee_id, a.case_id, a.created_by_id,
       a.created_by_id, a.lead_organisation_id
FROM cases_action a, ids, generate_series(0, {UPDATES_PER_ACTION}) u
WHERE a.id > ids.action0;
"""

OUTCOMES_SQL = f"""
CREATE TEMP TABLE soutcome AS
SELECT ids.outcome0 + row_number() OVER (ORDER BY c, k) AS id, c AS case_id, k,
       CASE WHEN c = ids.big_case THEN {LARGEST_MEASUREMENTS} ELSE {MEASUREMENTS_PER_OUTCOME} END
         AS measurements,
       CASE WHEN c = ids.big_case THEN ids.police ELSE s.lead_org END AS organisation
FROM ids CROSS JOIN LATERAL (
  SELECT s.id AS c, k FROM scase s, generate_series(1, {OUTCOMES_PER_CASE}) k
  UNION ALL SELECT ids.big_case, k FROM generate_series(1, {LARGEST_OUTCOMES}) k
) o LEFT JOIN scase s ON s.id = o.c;
INSERT INTO cases_outcome (id, title, description, indicator, unit, direction, baseline_value,
       baseline_date, target_value, target_date, data_source, created_at, case_id, target_reached,
       value_kind)
SELECT id, 'Effektmål ' || k, '', 'Antal', 'personer', 'decrease', 1000, date '2015-01-01', 500,
       date '2030-01-01', '', now() - interval '3 years', case_id, false, 'count'
FROM soutcome;
SELECT setval(pg_get_serial_sequence('cases_outcome', 'id'), (SELECT max(id) FROM cases_outcome));
INSERT INTO cases_historicaloutcome (id, title, description, indicator, unit, direction,
       baseline_value, baseline_date, target_value, target_date, data_source, created_at,
       history_date, history_type, case_id, history_user_id, target_reached, value_kind)
SELECT id, title, description, indicator, unit, direction, baseline_value, baseline_date,
       target_value, target_date, data_source, created_at, created_at, '+', case_id,
       (SELECT anna FROM ids), target_reached, value_kind
FROM cases_outcome WHERE id > (SELECT outcome0 FROM ids);
INSERT INTO cases_measurement (value, measured_on, note, created_at, organisation_id,
       reported_by_id, outcome_id, review_comment, review_state, version)
SELECT 1000 - m % 500, date '2015-01-01' + m, '',
       now() - interval '3 years' + m * interval '1 day' * 1000 / o.measurements / 3,
       o.organisation, ids.user0 + 1 + m % {USERS}, o.id, '',
       CASE WHEN m % 10 = 0 THEN 'submitted' ELSE 'approved' END, 1
FROM soutcome o CROSS JOIN ids CROSS JOIN LATERAL generate_series(1, o.measurements) m;
INSERT INTO cases_historicalmeasurement (id, value, measured_on, note, created_at, history_date,
       history_type, history_user_id, organisation_id, reported_by_id, outcome_id,
       review_comment, review_state, version)
SELECT id, value, measured_on, note, created_at, created_at, '+', reported_by_id,
       organisation_id, reported_by_id, outcome_id, review_comment, review_state, version
FROM cases_measurement WHERE outcome_id > (SELECT outcome0 FROM ids);
"""

# One event per action (created) and per update (posted), at the time of the change; every
# event already dispatched, so the outbox sweeper finds nothing to do.
EVENTS_SQL = """
INSERT INTO notifications_event (kind, object_type, object_id, payload, created_at,
       dispatched_at, actor_id, case_id)
SELECT e.kind, 'action', a.id,
       jsonb_build_object('title', a.title, 'lead_organisation', a.lead_organisation_id,
                          'lead_organisation_name', o.name, 'status', a.status) || e.extra,
       e.at, e.at, e.actor, a.case_id
FROM (
  SELECT 'action.created' AS kind, a.id AS action_id, a.created_at AS at,
         ids.anna AS actor, '{}'::jsonb AS extra
  FROM cases_action a, ids WHERE a.id > ids.action0
  UNION ALL
  SELECT 'action.update_posted', u.action_id, u.created_at, u.author_id,
         jsonb_build_object('update', u.id, 'text', u.text, 'new_status', NULL)
  FROM cases_actionupdate u, ids WHERE u.action_id > ids.action0
) e
JOIN cases_action a ON a.id = e.action_id
JOIN agencies_organisation o ON o.id = a.lead_organisation_id
ORDER BY e.at;
"""

FOLLOWS_SQL = f"""
INSERT INTO notifications_casefollow (automatic, created_at, case_id, user_id)
SELECT DISTINCT ON (c, u) false, now(), c, u FROM (
  SELECT ids.case0 + 1 + (g * 37 + f * 211) % {CASES} AS c, ids.user0 + g AS u
  FROM ids, generate_series(1, {USERS}) g, generate_series(1, {FOLLOWS_PER_USER}) f
  UNION ALL SELECT ids.case0 + 1 + f * ({CASES} / {ANNA_FOLLOWS}), ids.anna
  FROM ids, generate_series(0, {ANNA_FOLLOWS} - 1) f
  UNION ALL SELECT s.id, ids.petra FROM scase s, ids WHERE s.n % 10 = 0
  UNION ALL SELECT s.id, ids.sara FROM scase s, ids WHERE s.n % 15 = 1
) follows ORDER BY c, u;
"""

# Every follower of the event's case gets the event in their inbox; one in twenty is unread.
NOTIFICATIONS_SQL = """
INSERT INTO notifications_notification (created_at, read_at, event_id, recipient_id)
SELECT e.created_at,
       CASE WHEN (e.id + f.user_id) % 20 = 0 THEN NULL ELSE e.created_at + interval '1 hour' END,
       e.id, f.user_id
FROM notifications_event e
JOIN notifications_casefollow f ON f.case_id = e.case_id
WHERE e.id > (SELECT event0 FROM ids) AND f.user_id <> coalesce(e.actor_id, 0);
"""

FINISH = """
SET session_replication_role = origin;
"""


def _saved_indexes(cursor, table: str) -> list[str]:
    """Statements that rebuild `table`'s secondary indexes and unique constraints."""
    cursor.execute(
        """
        SELECT 'ALTER TABLE ' || %s || ' ADD CONSTRAINT ' || quote_ident(conname) || ' '
               || pg_get_constraintdef(oid), 'ALTER TABLE ' || %s || ' DROP CONSTRAINT '
               || quote_ident(conname)
        FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'u'
        UNION ALL
        SELECT indexdef, 'DROP INDEX ' || quote_ident(indexname) FROM pg_indexes i
        WHERE tablename = %s AND indexname NOT IN (
            SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass
            AND contype IN ('p', 'u'))
        """,
        [table, table, table, table, table],
    )
    rows = cursor.fetchall()
    for _create, drop in rows:
        cursor.execute(drop)
    return [create for create, _drop in rows]


def build(cursor, say: Callable[[str], None] = print) -> None:
    """Fill the (migrated, demo-loaded) database the cursor is connected to."""
    started = time.perf_counter()
    cursor.execute(PREPARE)
    rebuild = []
    for table in BULK_TABLES:
        rebuild.extend(_saved_indexes(cursor, table))
    steps = [
        ("users", USERS_SQL),
        ("cases, participations", CASES_SQL),
        ("actions, updates", ACTIONS_SQL),
        ("outcomes, measurements", OUTCOMES_SQL),
        ("events", EVENTS_SQL),
        ("follows", FOLLOWS_SQL),
        ("notifications", NOTIFICATIONS_SQL),
        ("indexes", ";\n".join(rebuild)),
        ("finish", FINISH),
    ]
    for name, sql in steps:
        step_started = time.perf_counter()
        cursor.execute(sql)
        say(f"  {name}: {time.perf_counter() - step_started:.0f} s")
    for table in ("cases_case", "cases_action", "cases_actionupdate", "notifications_event"):
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )
    # Vacuumed as a running database would be (autovacuum): index-only scans need the
    # visibility map of the freshly written tables.
    for table in BULK_TABLES:
        cursor.execute(f"VACUUM (ANALYZE) {table}")
    cursor.execute("ANALYZE")
    say(f"  vacuum, analyze; total {time.perf_counter() - started:.0f} s")
