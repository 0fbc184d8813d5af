INSERT INTO responses BY NAME
SELECT f.response_id, f.row_key, $batch_id AS batch_id, f.unit_id, p.submitted_on, p.month, p.channel, p.language,
       p.score_5, p.scale, p.raw_score, p.nps, p.feedback_type, p.type_source, p.comment, p.wants_reply,
       p.counted, $file_name AS source_file, p.source_sheet, p.source_row, f.content_hash
FROM fresh f
JOIN parsed_frame p USING (_idx)
ORDER BY f.unit_id, f.month, f.response_id;
