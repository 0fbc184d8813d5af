-- "Answered within the promise" per unit and month of the due date: cases due by $today
-- (or already replied), and those replied on or before their due date. A case closed
-- without a reply counts as due and not answered.
SELECT u.name AS unit, sa.name AS service_area, date_trunc('month', c.due_on)::DATE AS month,
       count(*) FILTER (WHERE c.due_on < $today OR c.status = 'replied') AS due,
       count(*) FILTER (WHERE c.status = 'replied' AND c.replied_on <= c.due_on) AS in_time,
       count(*) FILTER (WHERE c.status IN ('open', 'in_progress') AND c.due_on < $today) AS overdue,
       count(*) AS cases
FROM reply_cases c
JOIN units u USING (unit_id)
LEFT JOIN service_areas sa ON sa.service_area_id = u.service_area_id
WHERE date_trunc('month', c.due_on) BETWEEN $start AND $end
  AND ($allowed IS NULL OR list_contains($allowed, c.unit_id))
  AND (CASE WHEN len($units) > 0 THEN list_contains($units, u.name)
            ELSE len($areas) = 0 OR list_contains($areas, sa.name) END)
GROUP BY ALL
ORDER BY unit, month
