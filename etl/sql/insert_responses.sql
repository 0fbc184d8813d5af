INSERT INTO responses BY NAME
SELECT response_id, row_key, $batch_id AS batch_id, unit_id, submitted_on, month, channel, language,
       score_5, scale, raw_score, nps, feedback_type, type_source, comment, wants_reply,
       counted, $file_name AS source_file, source_sheet, source_row, content_hash
FROM fresh
ORDER BY unit_id, month, response_id;
