-- Parsed rows + unit ids + a stable row identity.
-- row_key: a platform's response id when there is one; otherwise a hash of the content
-- plus the occurrence number among identical rows of the same file, so re-importing a file
-- or an overlapping export finds the same keys and loads nothing twice, while twelve
-- identical tally answers in one month stay twelve responses.
CREATE OR REPLACE TEMP TABLE incoming AS
WITH f AS (
    SELECT p.*, m.unit_id,
        md5(concat_ws(chr(31), m.unit_id, p.submitted_on, p.month, p.raw_score, p.scale, p.nps,
                      CASE WHEN p.type_source = 'source' THEN p.feedback_type END,
                      p.comment, p.channel, p.language, p.wants_reply, p.counted)) AS content_hash
    FROM parsed_frame p
    JOIN unit_map m USING (unit_name)
)
SELECT *,
    CASE WHEN external_id IS NOT NULL THEN 'x:' || unit_id || ':' || external_id
         ELSE content_hash || ':' || row_number() OVER (PARTITION BY content_hash ORDER BY _idx)
    END AS row_key
FROM f;
