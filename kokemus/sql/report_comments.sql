-- A few representative comments per theme for the review pack: complaints and suggestions
-- of the period that raise the theme critically, chosen by a hash of their stable row key
-- (the same data gives the same comments), skipping any that still hold a redaction
-- placeholder, and only where the theme has at least $min_n such comments.
WITH picked AS (
    SELECT t.theme, r.comment, u.name AS unit, r.month,
           row_number() OVER (PARTITION BY t.theme ORDER BY md5(r.row_key)) AS pick,
           count(*) OVER (PARTITION BY t.theme) AS theme_n
    FROM comment_tags t
    JOIN responses r USING (response_id)
    JOIN units u USING (unit_id)
    LEFT JOIN service_areas sa ON sa.service_area_id = u.service_area_id
    WHERE t.polarity = 'negative' AND list_contains($themes, t.theme)
      AND r.month BETWEEN $start AND $end
      AND r.feedback_type IN ('complaint', 'suggestion')
      AND ($allowed IS NULL OR list_contains($allowed, r.unit_id))
      AND (CASE WHEN len($units) > 0 THEN list_contains($units, u.name)
                ELSE len($areas) = 0 OR list_contains($areas, sa.name) END)
      AND length(r.comment) BETWEEN 20 AND 400
      AND r.comment NOT LIKE '%[HETU]%' AND r.comment NOT LIKE '%[PUHELIN]%'
      AND r.comment NOT LIKE '%[SÄHKÖPOSTI]%'
)
SELECT theme, comment, unit, month FROM picked
WHERE pick <= $per_theme AND theme_n >= $min_n
ORDER BY theme, pick
