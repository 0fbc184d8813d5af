-- Contact details of cases closed at least the unit's retention period ago.
DELETE FROM reply_contacts WHERE case_id IN (
    SELECT c.case_id FROM reply_cases c
    JOIN reply_unit_promises p USING (unit_id)
    WHERE c.status IN ('replied', 'closed') AND c.closed_on IS NOT NULL
      AND c.closed_on + p.retention_days * INTERVAL 1 DAY <= $today
)
