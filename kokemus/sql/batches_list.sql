-- Every import batch, newest first, for the import log.
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
ORDER BY batch_id DESC
