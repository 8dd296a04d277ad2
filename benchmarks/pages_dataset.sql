-- A mid-size dataset for checking the plans of the case page, case search and "My actions":
-- 5,000 cases, 30,000 participations, 50,600 actions (600 in the largest case), 50,600
-- contributor rows, 10,000 outcomes, 203,000 measurements (3,000 on the largest case's outcome).
-- Run on a migrated database with the demo data:  psql "$DATABASE_URL" -f benchmarks/pages_dataset.sql
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE orgs AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM agencies_organisation;
CREATE TEMP TABLE words(n, w) AS VALUES (0,'Ungdomsbrott'),(1,'Vårdköer'),(2,'Skolfrånvaro'),
  (3,'Hemlöshet'),(4,'Psykisk ohälsa'),(5,'Integration'),(6,'Arbetslöshet'),(7,'Klimatanpassning');
INSERT INTO cases_case (reference,title,summary,problem_description,is_national,priority,visibility,
  status,version,created_at,updated_at,created_by_id,theme_id)
SELECT 'BIG-' || lpad(g::text, 6, '0'),
       (SELECT w FROM words WHERE n = g % 8) || ' i område ' || g,
       'Sammanfattning ' || md5(g::text), '', g % 10 = 0, 'normal',
       CASE WHEN g % 2 = 0 THEN 'public' ELSE 'restricted' END, 'active', 1,
       now() - (g || ' minutes')::interval, now(), (SELECT min(id) FROM auth_user),
       (SELECT min(id) FROM cases_theme)
FROM generate_series(1, 5000) g;
CREATE TEMP TABLE bigcases AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM cases_case
  WHERE reference LIKE 'BIG-%';
INSERT INTO cases_participation (role,mandate,state,invited_at,case_id,invited_by_id,organisation_id,decline_reason)
SELECT CASE WHEN k = 0 THEN 'lead' ELSE 'partner' END, '', 'active', now(), c.id,
       (SELECT min(id) FROM auth_user), o.id, ''
FROM bigcases c CROSS JOIN generate_series(0, 5) k
JOIN orgs o ON o.n = 1 + (c.n * 7 + k * 13) % (SELECT count(*) FROM orgs);
-- 10 actions per case, and 600 in the first (the largest case).
INSERT INTO cases_action (title,description,due_date,status,version,created_at,updated_at,
  created_by_id,lead_organisation_id,case_id)
SELECT 'Åtgärd ' || g, '', current_date + (g % 200 - 100),
       (ARRAY['planned','in_progress','blocked','done','cancelled'])[1 + g % 5], 1, now(), now(),
       (SELECT min(id) FROM auth_user), p.organisation_id, p.case_id
FROM (SELECT g, CASE WHEN g <= 600 THEN 1 ELSE 1 + (g % 5000) END AS cn FROM generate_series(1, 50600) g) s
JOIN bigcases c ON c.n = s.cn
JOIN LATERAL (SELECT organisation_id, case_id FROM cases_participation WHERE case_id = c.id
              ORDER BY id OFFSET (s.g % 6) LIMIT 1) p ON true;
INSERT INTO cases_action_contributors (action_id, organisation_id)
SELECT a.id, (SELECT organisation_id FROM cases_participation WHERE case_id = a.case_id
              AND organisation_id <> a.lead_organisation_id ORDER BY id LIMIT 1)
FROM cases_action a JOIN bigcases c ON c.id = a.case_id;
INSERT INTO cases_outcome (title,description,indicator,unit,direction,baseline_value,baseline_date,
  target_value,target_date,data_source,created_at,case_id,target_reached,value_kind)
SELECT 'Mål ' || k, '', 'Andel', '%', 'increase', 10, '2020-01-01', 20, '2030-01-01', '', now(), c.id,
       false, 'amount'
FROM bigcases c CROSS JOIN generate_series(1, 2) k;
INSERT INTO cases_measurement (value,measured_on,note,created_at,organisation_id,reported_by_id,
  outcome_id,review_comment,review_state,version)
SELECT 10 + (g % 10), date '2020-01-02' + g, '', now(), p.organisation_id,
       (SELECT min(id) FROM auth_user), o.id, '',
       CASE WHEN g % 7 = 0 THEN 'submitted' ELSE 'approved' END, 1
FROM cases_outcome o JOIN bigcases c ON c.id = o.case_id
JOIN LATERAL (SELECT organisation_id FROM cases_participation WHERE case_id = c.id ORDER BY id LIMIT 1) p ON true
CROSS JOIN LATERAL generate_series(1, CASE WHEN c.n = 1 AND o.title = 'Mål 1' THEN 3000 ELSE 20 END) g;
COMMIT;
ANALYZE;
