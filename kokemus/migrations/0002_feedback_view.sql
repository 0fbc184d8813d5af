-- The public data contract (docs/data-contract.md). Add columns, never rename or drop.
CREATE OR REPLACE VIEW feedback AS
SELECT
    r.response_id,
    o.name                 AS organisation,
    sa.name                AS service_area,
    u.name                 AS unit,
    r.submitted_on,
    r.month,
    r.channel,
    r.language,
    r.score_5,
    r.scale,
    r.raw_score,
    r.nps,
    r.feedback_type,
    r.comment,
    r.wants_reply,
    r.source_file,
    r.source_sheet,
    r.source_row,
    r.batch_id,
    COALESCE(t.themes, []::VARCHAR[]) AS themes,
    r.counted,
    r.type_source,
    r.unit_id
FROM responses r
JOIN units u USING (unit_id)
LEFT JOIN service_areas sa ON sa.service_area_id = u.service_area_id
LEFT JOIN organisations o ON o.organisation_id = sa.organisation_id
LEFT JOIN (
    SELECT response_id, list_sort(list_distinct(list(theme))) AS themes
    FROM comment_tags GROUP BY response_id
) t USING (response_id);
