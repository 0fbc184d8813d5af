-- The rows of one batch that were not loaded because they duplicate a loaded response, each
-- with the batch (and its file) it duplicates. Only for a batch the user may see (same rule
-- as batches_list.sql).
SELECT
    d.source_sheet AS sheet,
    d.source_row,
    d.duplicate_of,
    b.file_name AS duplicate_file,
    d.reason
FROM duplicate_rows d
LEFT JOIN import_batches b ON b.batch_id = d.duplicate_of
WHERE d.batch_id = $batch_id
  AND ($scope_all
       OR (SELECT imported_by FROM import_batches WHERE batch_id = $batch_id) = $me
       OR (EXISTS (SELECT 1 FROM responses r WHERE r.batch_id = $batch_id)
           AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.batch_id = $batch_id
                           AND NOT list_contains($scope, r.unit_id))))
ORDER BY d.source_sheet NULLS FIRST, d.source_row NULLS FIRST
