-- Themes most often raised in complaints and suggestions (or negative sentences) in the
-- period, with how many of its months each theme appeared in. theme_rollup has no channel
-- or language, so only the period, unit and type filters apply.
SELECT t.theme,
       sum(t.responses) AS responses,
       count(DISTINCT t.month) AS months_present,
       count(DISTINCT t.unit_id) AS units
FROM theme_rollup t
JOIN units u USING (unit_id)
LEFT JOIN service_areas sa ON sa.service_area_id = u.service_area_id
WHERE t.month BETWEEN $start AND $end
      AND ($scope_all OR list_contains($scope, t.unit_id))
      AND (t.feedback_type IN ('complaint', 'suggestion') OR t.polarity = 'negative')
      AND (CASE WHEN len($units) > 0 THEN list_contains($units, u.name)
                ELSE len($areas) = 0 OR list_contains($areas, sa.name) END)
      AND (len($types) = 0 OR list_contains($types, t.feedback_type))
GROUP BY t.theme
ORDER BY responses DESC, t.theme
LIMIT $limit
