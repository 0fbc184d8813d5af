-- What one batch put into the warehouse: each unit under its stored name (whatever the file
-- spelled) with the first and last month, for the upload result's links. Scope as everywhere.
SELECT u.name AS unit, min(r.month) AS first_month, max(r.month) AS last_month, count(*) AS responses
FROM responses r
JOIN units u USING (unit_id)
WHERE r.batch_id = $batch_id
  AND ($scope_all OR list_contains($scope, r.unit_id))
GROUP BY u.name
ORDER BY responses DESC, u.name
