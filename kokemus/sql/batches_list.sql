-- Every import batch the user may see, newest first, for the import log: all of them for
-- an all-units role ($scope_all), else the user's own uploads ($me) and batches whose rows
-- all belong to units in $scope (a batch touching another unit stays hidden).
SELECT
    batch_id,
    imported_at,
    imported_by,
    file_name,
    status,
    rows_read,
    rows_loaded,
    rows_duplicate,
    rows_rejected,
    redactions,
    coalesce(array_to_string(new_units, ', '), '') AS new_units,
    (SELECT count(*) FROM rejected_rows r WHERE r.batch_id = b.batch_id) AS reject_records
FROM import_batches b
WHERE $scope_all
   OR b.imported_by = $me
   OR (EXISTS (SELECT 1 FROM responses r WHERE r.batch_id = b.batch_id)
       AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.batch_id = b.batch_id
                       AND NOT list_contains($scope, r.unit_id)))
ORDER BY batch_id DESC
