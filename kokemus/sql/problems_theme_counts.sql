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
LEFT JOIN service_areas sa ON sa.service_area_id = u.service_area_id
WHERE tr.month BETWEEN $start AND $end
  AND ($scope_all OR list_contains($scope, tr.unit_id))
  AND list_contains($types, tr.feedback_type)
  AND (CASE WHEN len($units) > 0 THEN list_contains($units, u.name)
            ELSE len($areas) = 0 OR list_contains($areas, sa.name) END)
GROUP BY tr.unit_id, u.name, tr.month, tr.theme
ORDER BY u.name, tr.month, tr.theme
