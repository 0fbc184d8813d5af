-- The comments one selection holds: shared filters + the Comments page's own filters.
-- Empty lists and NULLs mean "not set". The search terms are a list of word groups (each
-- group = LIKE patterns of the word as typed and of its lemma, already lower-cased and
-- accent-stripped); every group must match somewhere in the comment.
-- Wrapped by kokemus/comment_queries.py for counting, paging and export.
SELECT
    r.response_id,
    r.submitted_on,
    r.month,
    u.name           AS unit,
    sa.name          AS service_area,
    r.unit_id,
    r.feedback_type,
    r.score_5,
    r.nps,
    r.channel,
    r.language,
    r.wants_reply,
    r.comment
FROM responses r
JOIN units u USING (unit_id)
LEFT JOIN service_areas sa ON sa.service_area_id = u.service_area_id
WHERE r.comment IS NOT NULL
  AND r.comment <> ''
  AND r.month BETWEEN $start AND $end
  AND (CASE WHEN len($units) > 0 THEN list_contains($units, u.name)
            ELSE len($areas) = 0 OR list_contains($areas, sa.name) END)
  AND (len($channels) = 0 OR list_contains($channels, r.channel))
  AND (len($languages) = 0 OR list_contains($languages, r.language))
  AND (len($types) = 0 OR list_contains($types, r.feedback_type))
  AND ($score_min IS NULL OR r.score_5 >= $score_min)
  AND ($score_max IS NULL OR r.score_5 <= $score_max)
  AND ($theme IS NULL OR r.response_id IN (
        SELECT response_id FROM comment_tags WHERE theme = $theme))
  AND ($terms IS NULL OR list_bool_and(list_transform($terms, lambda alternatives:
        list_bool_or(list_transform(alternatives, lambda pattern:
            strip_accents(lower(r.comment)) LIKE pattern ESCAPE '\')))))
