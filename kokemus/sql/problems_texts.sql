-- Complaint and suggestion comments of a month range, newest first, for emerging words.
SELECT r.comment
FROM responses r
WHERE r.comment IS NOT NULL
  AND r.month BETWEEN $start AND $end
  AND list_contains($types, r.feedback_type)
  AND ($unit_ids IS NULL OR list_contains($unit_ids, r.unit_id))
ORDER BY r.month DESC, r.response_id DESC
LIMIT $limit
