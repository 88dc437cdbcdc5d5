-- Seeds 1,000 rooms and 1,000,000 messages for the chat benchmark. Expects the app's migrations
-- applied and two users (:bench_user, :other_user) registered through the API.
-- Content is 8 words drawn from a 5,000-word vocabulary, so a single word matches ~1,600 messages.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO projects ("Key", "Name", "Description", "CreatedById", "CreatedAt", "UpdatedAt", "LastTicketNumber")
VALUES ('BENCH', 'Benchmark', '', :bench_user, now(), now(), 0);
INSERT INTO project_members ("ProjectId", "UserId", "Role", "JoinedAt")
SELECT p."Id", u, 'member', now() FROM projects p, (VALUES (:bench_user), (:other_user)) AS v(u) WHERE p."Key" = 'BENCH';

INSERT INTO chat_rooms ("Name", "Type", "ProjectId", "CreatedById", "CreatedAt", "UpdatedAt", "LastActivityAt")
SELECT 'Room ' || r, 'group', p."Id", :bench_user, now() - interval '30 days', now() - interval '30 days', now() - interval '30 days'
FROM projects p, generate_series(1, 1000) r WHERE p."Key" = 'BENCH';
-- The bench user is in every room: search runs over all million messages.
INSERT INTO chat_participants ("RoomId", "UserId", "JoinedAt")
SELECT r."Id", u, now() - interval '30 days' FROM chat_rooms r, (VALUES (:bench_user), (:other_user)) AS v(u);

CREATE TEMP TABLE rooms AS SELECT row_number() OVER (ORDER BY "Id") - 1 AS n, "Id" AS id FROM chat_rooms;

-- Building the GIN index once at the end is much faster than maintaining it row by row.
DROP INDEX "IX_chat_messages_SearchVector";
INSERT INTO chat_messages ("RoomId", "UserId", "Content", "Type", "CreatedAt", "UpdatedAt", "IsEdited")
SELECT rooms.id,
       CASE WHEN g % 2 = 0 THEN :bench_user ELSE :other_user END,
       -- Word number w of the vocabulary is spelled from md5(w): letters only, 5 to 9 of them.
       (SELECT string_agg(translate(substr(md5(w::text), 1, 5 + w % 5), '0123456789', 'ghijklmnop'), ' ' ORDER BY j)
          FROM (SELECT j, (hashint4(g * 8 + j) & 2147483647) % 5000 AS w FROM generate_series(1, 8) j) words),
       'text',
       now() - make_interval(secs => (1000000 - g) * 2),
       now() - make_interval(secs => (1000000 - g) * 2),
       false
FROM generate_series(1, 1000000) g
JOIN rooms ON rooms.n = g % 1000;
CREATE INDEX "IX_chat_messages_SearchVector" ON chat_messages USING GIN ("SearchVector");
UPDATE chat_rooms r SET "LastActivityAt" = m.last FROM (
  SELECT "RoomId", max("CreatedAt") AS last FROM chat_messages GROUP BY "RoomId") m WHERE m."RoomId" = r."Id";
COMMIT;
VACUUM ANALYZE;
