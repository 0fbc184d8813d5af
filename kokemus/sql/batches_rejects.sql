-- The rejected rows and cells of one batch, in the order the file has them.
-- $lang picks the reason text (fi | en; anything else falls back to fi).
SELECT
    sheet,
    source_row,
    column_name,
    value,
    CASE WHEN $lang = 'en' THEN reason_en ELSE reason_fi END AS reason,
    reason_code,
    row_kept,
    row_values
FROM rejected_rows
WHERE batch_id = $batch_id
ORDER BY sheet NULLS FIRST, source_row NULLS FIRST, column_name NULLS FIRST
