-- Which incoming rows are duplicates of responses already loaded, and of which batch.
-- The rule (docs/architecture.md, "Duplicates"): identical rows in different files are
-- different people unless
--   (1) both carry the same response id from the source platform ('same_id'), or
--   (2) this file evidently re-exports an earlier batch ('re_export'): the rows the two have
--       in common make up at least half of this file or at least half of that batch (within
--       this file's units and months), and the comments agree too: at least half of the
--       rows of the smaller side with a comment of four words or more, and at least three
--       different such rows. Scores and "Kiitos!" repeat by chance, sentences do not.
-- Two rows that both carry a response id are never the same by content: the id decides.
-- Reads temp table `incoming`, writes temp tables `earlier`, `overlap`, `duplicates`.

-- Loaded responses that could be the same: same units, same months (undone batches are gone).
CREATE OR REPLACE TEMP TABLE earlier AS
SELECT r.response_id, r.batch_id, r.row_key, r.content_hash,
       r.row_key LIKE 'x:%' AS has_id,
       regexp_matches(trim(coalesce(r.comment, '')), '\s\S+\s+\S+\s') AS has_text
FROM responses r
WHERE r.unit_id IN (SELECT DISTINCT unit_id FROM incoming)
  AND r.month BETWEEN (SELECT min(month) FROM incoming) AND (SELECT max(month) FROM incoming);

-- Content matches per earlier batch, counting identical rows as many times as both sides
-- have them. Incoming rows with an id only match earlier rows without one.
CREATE OR REPLACE TEMP TABLE overlap AS
WITH inc AS (
    SELECT content_hash, external_id IS NOT NULL AS has_id, any_value(has_text) AS has_text, count(*) AS n
    FROM incoming
    WHERE NOT (external_id IS NOT NULL AND candidate_key IN (SELECT row_key FROM earlier WHERE has_id))
    GROUP BY ALL
),
ear AS (
    SELECT batch_id, content_hash, has_id, count(*) AS n FROM earlier GROUP BY ALL
),
pairs AS (
    SELECT e.batch_id, i.content_hash, i.has_text, least(i.n, e.n) AS n
    FROM inc i JOIN ear e ON e.content_hash = i.content_hash AND NOT (i.has_id AND e.has_id)
),
matched AS (
    SELECT batch_id, sum(n) AS rows_matched, coalesce(sum(n) FILTER (WHERE has_text), 0) AS text_matched,
           count(DISTINCT content_hash) FILTER (WHERE has_text) AS texts_matched
    FROM pairs GROUP BY batch_id
),
sizes AS (
    SELECT batch_id, count(*) AS batch_rows, count(*) FILTER (WHERE has_text) AS batch_text
    FROM earlier GROUP BY batch_id
),
mine AS (
    SELECT count(*) AS file_rows, count(*) FILTER (WHERE has_text) AS file_text FROM incoming
)
SELECT m.batch_id, m.rows_matched, m.text_matched, s.batch_rows, s.batch_text,
       m.rows_matched >= 0.5 * least(mine.file_rows, s.batch_rows)
       AND m.texts_matched >= 3
       AND m.text_matched >= 0.5 * least(mine.file_text, s.batch_text) AS re_export
FROM matched m JOIN sizes s USING (batch_id), mine;

-- Every duplicate row and the batch (and response) it duplicates.
CREATE OR REPLACE TEMP TABLE duplicates AS
WITH same_id AS (
    SELECT i._idx, e.batch_id AS duplicate_of, e.response_id AS duplicate_response, 'same_id' AS reason
    FROM incoming i JOIN earlier e ON e.has_id AND e.row_key = i.candidate_key
    WHERE i.external_id IS NOT NULL
),
-- rows of re-exported batches, numbered per content in batch order, so that a file that
-- re-exports two batches gives each identical row to one of them
targets AS (
    SELECT e.*, row_number() OVER (PARTITION BY e.content_hash, e.has_id ORDER BY e.batch_id, e.response_id) AS k
    FROM earlier e SEMI JOIN overlap o ON o.batch_id = e.batch_id AND o.re_export
),
by_content AS (
    SELECT i._idx, t.batch_id AS duplicate_of, t.response_id AS duplicate_response, 're_export' AS reason
    FROM incoming i
    JOIN targets t ON t.content_hash = i.content_hash AND NOT t.has_id AND t.k = i.occurrence
    WHERE i._idx NOT IN (SELECT _idx FROM same_id)
    UNION ALL
    -- rows without an id also match re-exported rows that had one
    SELECT i._idx, t.batch_id, t.response_id, 're_export'
    FROM incoming i
    JOIN targets t ON t.content_hash = i.content_hash AND t.has_id AND t.k = i.occurrence
    WHERE i.external_id IS NULL
)
SELECT * FROM same_id
UNION ALL
SELECT _idx, min(duplicate_of), min(duplicate_response), 're_export' FROM by_content GROUP BY _idx;

-- Incoming rows that are not duplicates, numbered after the current largest response id.
-- A kept row whose content key is already taken (the same content in an earlier file,
-- judged a different response) gets this batch's number in its key. Narrow, as `incoming`:
-- insert_responses.sql takes the row's values from `parsed_frame`.
CREATE OR REPLACE TEMP TABLE fresh AS
SELECT i.* EXCLUDE (candidate_key, content_md5, has_text, occurrence),
       CASE WHEN i.candidate_key IN (SELECT row_key FROM earlier)
            THEN i.candidate_key || ':b' || $batch_id ELSE i.candidate_key END AS row_key,
       $first_id + row_number() OVER (ORDER BY i._idx) - 1 AS response_id
FROM incoming i
WHERE i._idx NOT IN (SELECT _idx FROM duplicates);
