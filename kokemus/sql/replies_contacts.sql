-- Restricted: the contact details of one case, for the case view only.
SELECT k.phone, k.email
FROM reply_contacts k JOIN reply_cases c USING (case_id)
WHERE k.case_id = $case_id AND ($allowed IS NULL OR list_contains($allowed, c.unit_id))
