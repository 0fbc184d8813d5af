-- Complaint and suggestion comments of a month range, newest first, for emerging words.
SELECT r.comment, r.language
FROM responses r
JOIN units u USING (unit_id)
LEFT JOIN service_areas sa ON sa.service_area_id = u.service_area_id
WHERE r.comment IS NOT NULL
  AND r.month BETWEEN $start AND $end
  AND ($scope_all OR list_contains($scope, r.unit_id))
  AND list_contains($types, r.feedback_type)
  AND (CASE WHEN len($units) > 0 THEN list_contains($units, u.name)
            ELSE len($areas) = 0 OR list_contains($areas, sa.name) END)
ORDER BY r.month DESC, r.response_id DESC
LIMIT $limit
