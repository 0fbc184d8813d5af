-- The rejects of one batch by reason, most frequent first: what the log shows at once,
-- however many rows were rejected. Same visibility rule as batches_rejects.sql.
-- One line per stored reason; kokemus.batches words it in the reader's language.
SELECT
    reason_code,
    reason_fi,
    reason_en,
    count(*) FILTER (WHERE NOT row_kept) AS rows_rejected,
    count(*) FILTER (WHERE row_kept) AS cells_rejected,
    count(*) AS total
FROM rejected_rows
WHERE batch_id = $batch_id
  AND ($scope_all
       OR (SELECT imported_by FROM import_batches WHERE batch_id = $batch_id) = $me
       OR (EXISTS (SELECT 1 FROM responses r WHERE r.batch_id = $batch_id)
           AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.batch_id = $batch_id
                           AND NOT list_contains($scope, r.unit_id))))
GROUP BY reason_code, reason_fi, reason_en
ORDER BY total DESC, reason_fi
