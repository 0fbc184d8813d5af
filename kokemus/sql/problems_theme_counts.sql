-- Responses per unit x month x theme among complaints and suggestions (from the rollup,
-- never raw responses). A response tagged with one theme in two polarities counts in
-- both rollup rows; recurring.py caps the count at the unit-month total.
SELECT
    tr.unit_id,
    u.name                 AS unit,
    tr.month,
    tr.theme,
    SUM(tr.responses)::BIGINT AS responses
FROM theme_rollup tr
JOIN units u USING (unit_id)
WHERE tr.month BETWEEN $start AND $end
  AND list_contains($types, tr.feedback_type)
  AND ($unit_ids IS NULL OR list_contains($unit_ids, tr.unit_id))
GROUP BY tr.unit_id, u.name, tr.month, tr.theme
ORDER BY u.name, tr.month, tr.theme
