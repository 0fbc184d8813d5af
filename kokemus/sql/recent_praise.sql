-- The latest praise comments in the view (staff motivation on the Overview). Reads raw
-- responses but only the last months of the period, newest first, a handful of rows.
SELECT u.name AS unit, r.month, r.submitted_on, r.comment
FROM responses r
JOIN units u USING (unit_id)
LEFT JOIN service_areas sa ON sa.service_area_id = u.service_area_id
WHERE r.month BETWEEN greatest($start::DATE, ($end::DATE - INTERVAL 2 MONTH)::DATE) AND $end
      AND ($scope_all OR list_contains($scope, r.unit_id))
      AND r.feedback_type = 'praise'
      AND r.comment IS NOT NULL AND length(trim(r.comment)) >= 15
      AND (CASE WHEN len($units) > 0 THEN list_contains($units, u.name)
                ELSE len($areas) = 0 OR list_contains($areas, sa.name) END)
      AND (len($channels) = 0 OR list_contains($channels, r.channel))
      AND (len($types) = 0 OR list_contains($types, r.feedback_type))
      AND (len($languages) = 0 OR list_contains($languages, r.language))
ORDER BY r.month DESC, r.submitted_on DESC NULLS LAST, r.response_id DESC
LIMIT $limit
