-- One row per rejected row or cell: source_row, column, value, reason code, row kept?, row text,
-- and the row's cells under the template's own headers (re-uploadable rejects workbook); the comment
-- as the cell held it, from `src_comments` (source_row, comment)
WITH r AS (
    SELECT source_row, 'Päivämäärä' AS col, d_raw AS val,
        CASE WHEN regexp_matches(d_raw, '^\d{1,2}\.\d{1,2}\.\d{2,4}$|^\d{4}-\d{2}-\d{2}') THEN 'invalid_date' ELSE 'no_date' END AS code,
        false AS kept
    FROM parsed WHERE d IS NULL
    UNION ALL
    SELECT source_row, 'Yksikkö', unit_name, 'no_unit', false FROM parsed WHERE unit_val IS NULL AND d IS NOT NULL
    UNION ALL
    SELECT source_row, 'Asteikko', scale, 'unknown_scale', true FROM parsed
        WHERE d IS NOT NULL AND unit_val IS NOT NULL AND score_raw IS NOT NULL AND bounds IS NULL
    UNION ALL
    SELECT source_row, 'Arvio', score_raw, 'score_unreadable', true FROM parsed
        WHERE d IS NOT NULL AND unit_val IS NOT NULL AND score_raw IS NOT NULL AND bounds IS NOT NULL AND score_num IS NULL
    UNION ALL
    SELECT source_row, 'Arvio', score_raw, 'score_out_of_range', true FROM parsed
        WHERE d IS NOT NULL AND unit_val IS NOT NULL AND score_num IS NOT NULL AND bounds IS NOT NULL AND score_5_val IS NULL
    UNION ALL
    SELECT source_row, 'Suosittelu', nps_raw, 'nps_out_of_range', true FROM parsed
        WHERE d IS NOT NULL AND unit_val IS NOT NULL AND nps_raw IS NOT NULL AND nps_val IS NULL
    UNION ALL
    SELECT source_row, 'Tyyppi', feedback_type, 'unknown_type', true FROM parsed
        WHERE d IS NOT NULL AND unit_val IS NOT NULL AND type_raw IS NOT NULL AND type_norm IS NULL
)
SELECT r.source_row, r.col, r.val, r.code, r.kept,
       concat_ws(' | ', p.submitted_on, p.unit_name, p.raw_score, p.nps, p.feedback_type, left(c.comment, 200)) AS row_values,
       to_json([['Päivämäärä', p.submitted_on], ['Yksikkö', p.unit_name], ['Palvelualue', p.service_area],
                ['Kanava', p.channel], ['Kieli', p.language], ['Arvio', p.raw_score], ['Asteikko', p.scale],
                ['Suosittelu', p.nps], ['Tyyppi', p.feedback_type], ['Palaute', c.comment],
                ['Vastaus toivottu', p.wants_reply], ['Vastaus-ID', p.external_id]]) AS row_cells
FROM r JOIN parsed p USING (source_row) JOIN src_comments c USING (source_row)
ORDER BY r.source_row, r.col;
