-- The reply worklist: cases by due date. No contact details here (see replies_contacts).
-- $allowed: unit ids the user may see (NULL = every unit).
SELECT c.case_id, c.due_on, c.submitted_on, u.name AS unit, sa.name AS service_area,
       c.status, c.assignee, c.replied_on, c.reply_channel, c.close_reason, c.note,
       c.promise_days, c.promise_kind, c.batch_id, r.feedback_type, r.comment,
       c.status IN ('open', 'in_progress') AND c.due_on < $today AS overdue,
       c.due_on - $today AS days_left
FROM reply_cases c
JOIN units u USING (unit_id)
LEFT JOIN service_areas sa ON sa.service_area_id = u.service_area_id
LEFT JOIN responses r ON r.response_id = c.response_id
WHERE ($allowed IS NULL OR list_contains($allowed, c.unit_id))
  AND (len($units) = 0 OR list_contains($units, u.name))
  AND (len($areas) = 0 OR list_contains($areas, sa.name))
  AND (len($statuses) = 0 OR list_contains($statuses, c.status))
  AND ($assignee IS NULL OR ($assignee = '' AND c.assignee IS NULL) OR c.assignee = $assignee)
ORDER BY c.due_on, c.case_id
