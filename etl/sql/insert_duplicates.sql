-- The duplicate rows of this batch, with the batch each one duplicates (for the import log).
INSERT INTO duplicate_rows
SELECT $batch_id, i.source_sheet, i.source_row, d.duplicate_of, d.duplicate_response, d.reason
FROM duplicates d JOIN incoming i USING (_idx)
ORDER BY i._idx;
