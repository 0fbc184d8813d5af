-- Every import batch the user may see, newest first, for the import log: all of them for
-- an all-units role ($scope_all), else the user's own uploads ($me) and batches whose rows
-- all belong to units in $scope (a batch touching another unit stays hidden).
-- The "wholly inside $scope" test is one grouped pass over responses, and none at all for
-- an all-units role: written as EXISTS per batch, DuckDB joined every response to every
-- batch whatever the role (3-7 s at 10M responses, on every visit of the log).
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
    coalesce(array_to_string(new_units, ', '), '') AS new_units
FROM import_batches b
WHERE $scope_all
   OR b.imported_by = $me
   OR b.batch_id IN (SELECT r.batch_id FROM responses r
                     WHERE NOT $scope_all
                     GROUP BY r.batch_id
                     HAVING bool_and(list_contains($scope, r.unit_id)))
ORDER BY batch_id DESC
