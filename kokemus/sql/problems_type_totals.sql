-- Complaints and suggestions per unit x month: the denominator of a theme's monthly share.
SELECT
    mr.unit_id,
    u.name                  AS unit,
    mr.month,
    SUM(mr.responses)::BIGINT AS responses
FROM monthly_rollup mr
JOIN units u USING (unit_id)
LEFT JOIN service_areas sa ON sa.service_area_id = u.service_area_id
WHERE mr.month BETWEEN $start AND $end
  AND ($scope_all OR list_contains($scope, mr.unit_id))
  AND list_contains($types, mr.feedback_type)
  AND (CASE WHEN len($units) > 0 THEN list_contains($units, u.name)
            ELSE len($areas) = 0 OR list_contains($areas, sa.name) END)
GROUP BY mr.unit_id, u.name, mr.month
ORDER BY u.name, mr.month
