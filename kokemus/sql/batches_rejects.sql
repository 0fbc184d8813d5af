-- The rejected rows and cells of one batch, in the order the file has them.
-- Only for a batch the user may see (same rule as batches_list.sql).
-- $lang picks the stored reason text (fi | en; anything else falls back to fi; Swedish comes
-- from the catalogue in kokemus.batches, hence reason_fi / reason_en too); $limit caps the rows
-- (the log shows the first ones, the workbook takes all).
SELECT
    sheet,
    source_row,
    column_name,
    value,
    CASE WHEN $lang = 'en' THEN reason_en ELSE reason_fi END AS reason,
    reason_code,
    reason_fi,
    reason_en,
    row_kept,
    row_values,
    row_cells
FROM rejected_rows
WHERE batch_id = $batch_id
  AND ($scope_all
       OR (SELECT imported_by FROM import_batches WHERE batch_id = $batch_id) = $me
       OR (EXISTS (SELECT 1 FROM responses r WHERE r.batch_id = $batch_id)
           AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.batch_id = $batch_id
                           AND NOT list_contains($scope, r.unit_id))))
ORDER BY sheet NULLS FIRST, source_row NULLS FIRST, column_name NULLS FIRST
LIMIT $limit
