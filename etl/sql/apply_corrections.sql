-- Re-apply the latest correction of every corrected response (after retag, or right after
-- a new correction; then only $response_id). Corrected tags carry taxonomy_version
-- 'correction' so the Comments page can say who decided them; a theme kept from the
-- tagger keeps its polarity and trigger words.
CREATE OR REPLACE TEMP TABLE latest_correction AS
SELECT c.* FROM tag_corrections c
JOIN responses r USING (response_id)
WHERE $response_id IS NULL OR c.response_id = $response_id
QUALIFY row_number() OVER (PARTITION BY c.response_id ORDER BY c.corrected_at DESC, c.correction_id DESC) = 1;

CREATE OR REPLACE TEMP TABLE corrected_tags AS
SELECT l.response_id, r.batch_id, th.theme,
       coalesce(old.polarity, CASE coalesce(l.type_after, r.feedback_type)
                                 WHEN 'praise' THEN 'positive' WHEN 'complaint' THEN 'negative'
                                 ELSE 'neutral' END) AS polarity,
       old.sentence,
       coalesce(old.triggers, []::VARCHAR[]) AS triggers,
       CASE WHEN old.theme IS NULL THEN 'correction' ELSE old.taxonomy_version END AS taxonomy_version
FROM latest_correction l
JOIN responses r USING (response_id)
CROSS JOIN LATERAL (SELECT unnest(l.themes_after) AS theme) th
LEFT JOIN (SELECT response_id, theme, any_value(polarity) AS polarity, min(sentence) AS sentence,
                  flatten(list(triggers)) AS triggers, any_value(taxonomy_version) AS taxonomy_version
           FROM comment_tags GROUP BY response_id, theme) old
       ON old.response_id = l.response_id AND old.theme = th.theme;

DELETE FROM comment_tags WHERE response_id IN (SELECT response_id FROM latest_correction);

INSERT INTO comment_tags SELECT response_id, batch_id, theme, polarity, sentence, triggers, taxonomy_version
FROM corrected_tags;

UPDATE responses SET feedback_type = l.type_after, type_source = 'corrected'
FROM latest_correction l
WHERE responses.response_id = l.response_id AND l.type_after IS NOT NULL;

CREATE OR REPLACE TEMP TABLE affected AS
SELECT DISTINCT r.unit_id, r.month FROM responses r JOIN latest_correction USING (response_id);
