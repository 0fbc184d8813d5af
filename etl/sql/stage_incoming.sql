-- Parsed rows' unit ids + the content identity used to recognise duplicates, one narrow row
-- per parsed row (`parsed_frame._idx`): the wide columns stay in `parsed_frame`, read once more
-- by insert_responses.sql, so neither the window below nor this table carries the comments.
-- content_hash: the response's content (unit, date, month, score, type given by the source,
-- comment, channel, language, wants_reply, counted), never the file it came from.
-- occurrence: the row's number among identical rows of this file (twelve identical tally
-- answers in one month stay twelve responses), counted apart for rows with and without a
-- response id.
-- has_text: a comment of four words or more (three runs of whitespace inside it: one regex test,
-- no split into a list), the kind two people rarely write alike.
-- candidate_key: a platform's response id when there is one; otherwise hash + the row's number
-- among all identical rows of this file.
-- One window (partition by content, in row order) numbers both.
-- stage_duplicates.sql decides which rows are duplicates and each fresh row's final key.
CREATE OR REPLACE TEMP TABLE incoming AS
WITH f AS (
    SELECT p._idx, p.external_id, p.submitted_on, p.month, p.wants_reply, p.source_sheet, p.source_row, m.unit_id,
        md5(concat_ws(chr(31), m.unit_id, p.submitted_on, p.month, p.raw_score, p.scale, p.nps,
                      CASE WHEN p.type_source = 'source' THEN p.feedback_type END,
                      p.comment, p.channel, p.language, p.wants_reply, p.counted)) AS content_md5,
        regexp_matches(trim(coalesce(p.comment, '')), '\s\S+\s+\S+\s') AS has_text
    FROM parsed_frame p
    JOIN unit_map m USING (unit_name)
), numbered AS (
    SELECT *,
        row_number() OVER same_content AS nth,
        count(*) FILTER (WHERE external_id IS NULL) OVER same_content AS nth_without_id
    FROM f
    WINDOW same_content AS (PARTITION BY content_md5 ORDER BY _idx ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT * EXCLUDE (nth, nth_without_id),
    ('0x' || substr(content_md5, 1, 16))::UBIGINT AS content_hash,
    CASE WHEN external_id IS NULL THEN nth_without_id ELSE nth - nth_without_id END AS occurrence,
    CASE WHEN external_id IS NOT NULL THEN 'x:' || unit_id || ':' || external_id
         ELSE content_md5 || ':' || nth
    END AS candidate_key
FROM numbered;
