-- 100,000 tickets over 20 projects, for bench/tickets/run.sh. The server's migrations have run; the
-- bench user (id :bench_id) exists. Ten more users are the assignees; random but reproducible.
SELECT setseed(0.42);

INSERT INTO users ("Username", "NormalizedUsername", "Email", "FirstName", "LastName", "PasswordHash", "IsActive", "CreatedAt")
SELECT 'worker' || i, 'WORKER' || i, 'worker' || i || '@example.com', 'Worker', i::text, 'x', true, now()
FROM generate_series(1, 10) AS i;

INSERT INTO projects ("Key", "Name", "Description", "CreatedById", "CreatedAt", "UpdatedAt", "LastTicketNumber")
SELECT 'B' || lpad(i::text, 2, '0'), 'Bench ' || i, '', :bench_id, now(), now(), 5000
FROM generate_series(1, 20) AS i;

INSERT INTO project_members ("ProjectId", "UserId", "Role", "JoinedAt")
SELECT p."Id", :bench_id, 'owner', now() FROM projects p WHERE p."Key" LIKE 'B__'
UNION ALL
SELECT p."Id", u."Id", 'member', now() FROM projects p CROSS JOIN users u WHERE p."Key" LIKE 'B__' AND u."Username" LIKE 'worker%';

CREATE TEMP TABLE words(n int, w text);
INSERT INTO words SELECT row_number() OVER () - 1, w FROM unnest(string_to_array(
  'printer network database login password email invoice report export import server backup upload download '
  || 'screen mobile browser crash error timeout slow memory disk cache queue billing account profile settings '
  || 'search filter sort page button layout color font icon image video audio calendar meeting schedule '
  || 'reminder notification message chat channel room user admin role permission token session cookie '
  || 'proxy firewall router switch cable wifi vpn laptop desktop keyboard mouse monitor headset camera '
  || 'license renewal contract vendor order shipment delivery refund payment card bank tax payroll '
  || 'holiday leave onboarding offboarding training document template policy audit compliance security '
  || 'incident outage latency deploy release build pipeline test staging production config secret '
  || 'certificate domain dns mailbox spam phishing virus update patch install driver firmware battery '
  || 'charger dock projector speaker microphone webcam printer2 scanner toner paper label sticker badge', ' ')) AS w;

INSERT INTO tickets ("ProjectId", "Number", "Title", "Description", "Status", "Priority", "Type", "ReporterId", "AssigneeId",
                     "DueDate", "CommentCount", "CreatedAt", "UpdatedAt", "ResolvedAt")
SELECT p."Id", s.n,
       (SELECT string_agg(w, ' ') FROM words WHERE n IN (s.w1, s.w2, s.w3, s.w4)),
       (SELECT string_agg(w, ' ') FROM words WHERE n IN (s.w2, s.w5, s.w6)) || ' happens again and again',
       (ARRAY['open','in_progress','resolved','closed'])[1 + (s.r % 4)],
       s.r % 4,
       (ARRAY['task','bug','feature','question'])[1 + ((s.r / 4) % 4)],
       :bench_id,
       CASE WHEN s.r % 11 = 0 THEN NULL ELSE (SELECT "Id" FROM users WHERE "Username" = 'worker' || (1 + s.r % 10)) END,
       CASE WHEN s.r % 3 = 0 THEN DATE '2026-01-01' + (s.r % 365) END,
       0, s.created, s.created, CASE WHEN s.r % 4 >= 2 THEN s.created END
FROM projects p
CROSS JOIN LATERAL (
  SELECT n, (random() * 1000000)::int AS r,
         floor(random() * c.k)::int AS w1, floor(random() * c.k)::int AS w2, floor(random() * c.k)::int AS w3,
         floor(random() * c.k)::int AS w4, floor(random() * c.k)::int AS w5, floor(random() * c.k)::int AS w6,
         TIMESTAMP '2025-01-01' + (n || ' minutes')::interval + (p."Id" || ' seconds')::interval AS created
  FROM generate_series(1, 5000) AS n, (SELECT count(*) AS k FROM words) c) s
WHERE p."Key" LIKE 'B__';

INSERT INTO ticket_labels ("TicketId", "Label", "Normalized")
SELECT "Id", l, lower(l) FROM tickets, LATERAL (SELECT (ARRAY['Backend','Frontend','Urgent-fix','Customer'])[1 + "Id" % 4] AS l) x
WHERE "Id" % 2 = 0;

-- As autovacuum would: sets the visibility map (index-only scans) and flushes the GIN pending list.
VACUUM ANALYZE;
