-- Where every column and row of a file went, and what a batch created besides rows.
-- accounting: JSON {"sheets": [{"sheet", "not_imported": {column: reason}, "skipped_rows":
--   {reason: n}, "copy_of"}], "decisions": [[key, params]]} - the batch's "not imported" list.
-- dates_assumed: ambiguous slash dates read by the column's majority convention.
-- created_profiles: mapping profile files saved by this batch; undo removes them.
ALTER TABLE import_batches ADD COLUMN accounting VARCHAR;
ALTER TABLE import_batches ADD COLUMN dates_assumed BIGINT DEFAULT 0;
ALTER TABLE import_batches ADD COLUMN created_profiles VARCHAR[];
