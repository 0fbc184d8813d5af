-- Complaints and suggestions per unit x month: the denominator of a theme's monthly share.
SELECT
    mr.unit_id,
    u.name                  AS unit,
    mr.month,
    SUM(mr.responses)::BIGINT AS responses
FROM monthly_rollup mr
JOIN units u USING (unit_id)
WHERE mr.month BETWEEN $start AND $end
  AND list_contains($types, mr.feedback_type)
  AND ($unit_ids IS NULL OR list_contains($unit_ids, mr.unit_id))
GROUP BY mr.unit_id, u.name, mr.month
ORDER BY u.name, mr.month
