-- Duplicates name the batch they duplicate (issue 14 item 4).
-- responses.content_hash: the first 64 bits of the content md5 (etl/sql/stage_incoming.sql),
-- so a later file can be compared by content even with rows that carried a response id.
-- Rows loaded before this migration get it from their key; rows keyed on a response id
-- get none and are only recognised by that id.
ALTER TABLE responses ADD COLUMN content_hash UBIGINT;
UPDATE responses SET content_hash = ('0x' || substr(row_key, 1, 16))::UBIGINT
WHERE row_key NOT LIKE 'x:%' AND regexp_full_match(substr(row_key, 1, 32), '[0-9a-f]{32}');

-- One row of a batch that was not loaded because it duplicates a loaded response.
-- reason: 'same_id' (same response id from the source) | 're_export' (the file re-exports
-- the batch `duplicate_of`). Removed with its batch on undo.
CREATE TABLE IF NOT EXISTS duplicate_rows (
    batch_id           INTEGER NOT NULL,
    source_sheet       VARCHAR,
    source_row         INTEGER,
    duplicate_of       INTEGER NOT NULL,
    duplicate_response BIGINT,
    reason             VARCHAR NOT NULL
);
