-- Incoming rows not yet in the warehouse, numbered after the current largest response id.
CREATE OR REPLACE TEMP TABLE fresh AS
SELECT i.*, $first_id + row_number() OVER (ORDER BY i._idx) - 1 AS response_id
FROM incoming i
WHERE NOT EXISTS (
    SELECT 1 FROM responses r
    WHERE r.row_key = i.row_key
      AND r.unit_id IN (SELECT DISTINCT unit_id FROM incoming)
      AND r.month BETWEEN (SELECT min(month) FROM incoming) AND (SELECT max(month) FROM incoming)
);
