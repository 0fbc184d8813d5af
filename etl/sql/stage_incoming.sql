-- Parsed rows + unit ids + the content identity used to recognise duplicates.
-- content_hash: the response's content (unit, date, month, score, type given by the source,
-- comment, channel, language, wants_reply, counted), never the file it came from.
-- occurrence: the row's number among identical rows of this file (twelve identical tally
-- answers in one month stay twelve responses).
-- has_text: a comment of four words or more (three runs of whitespace inside it: one regex test,
-- no split into a list), the kind two people rarely write alike.
-- candidate_key: a platform's response id when there is one; otherwise hash + occurrence.
-- stage_duplicates.sql decides which rows are duplicates and each fresh row's final key.
CREATE OR REPLACE TEMP TABLE incoming AS
WITH f AS (
    SELECT p.*, m.unit_id,
        md5(concat_ws(chr(31), m.unit_id, p.submitted_on, p.month, p.raw_score, p.scale, p.nps,
                      CASE WHEN p.type_source = 'source' THEN p.feedback_type END,
                      p.comment, p.channel, p.language, p.wants_reply, p.counted)) AS content_md5
    FROM parsed_frame p
    JOIN unit_map m USING (unit_name)
)
SELECT *,
    ('0x' || substr(content_md5, 1, 16))::UBIGINT AS content_hash,
    regexp_matches(trim(coalesce(comment, '')), '\s\S+\s+\S+\s') AS has_text,
    row_number() OVER (PARTITION BY content_md5, external_id IS NULL ORDER BY _idx) AS occurrence,
    CASE WHEN external_id IS NOT NULL THEN 'x:' || unit_id || ':' || external_id
         ELSE content_md5 || ':' || row_number() OVER (PARTITION BY content_md5 ORDER BY _idx)
    END AS candidate_key
FROM f;
