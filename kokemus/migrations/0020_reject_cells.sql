-- The original cells of a rejected row: JSON [[header, value], ...] in the file's column
-- order (values redacted as every stored text). The import log writes them back as the
-- file's own columns, so a nurse can fix the rows in Excel and upload the file as it is.
ALTER TABLE rejected_rows ADD COLUMN row_cells VARCHAR;
