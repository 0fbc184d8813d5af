-- The comments one selection holds: shared filters + the Comments page's own filters.
-- Every optional filter is "NULL = not set"; the search terms are a list of word groups
-- (each group = the word's LIKE pattern and its lemma's), all groups must match.
-- Wrapped by kokemus/comment_queries.py for counting, paging and export.
SELECT
    r.response_id,
    r.submitted_on,
    r.month,
    u.name           AS unit,
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
WHERE r.comment IS NOT NULL
  AND r.comment <> ''
  AND r.month BETWEEN $start AND $end
  AND ($unit_ids IS NULL OR list_contains($unit_ids, r.unit_id))
  AND ($channels IS NULL OR list_contains($channels, r.channel))
  AND ($languages IS NULL OR list_contains($languages, r.language))
  AND ($types IS NULL OR list_contains($types, r.feedback_type))
  AND ($score_min IS NULL OR r.score_5 >= $score_min)
  AND ($score_max IS NULL OR r.score_5 <= $score_max)
  AND ($theme IS NULL OR r.response_id IN (
        SELECT response_id FROM comment_tags WHERE theme = $theme))
  AND ($terms IS NULL OR list_bool_and(list_transform($terms, lambda alternatives:
        list_bool_or(list_transform(alternatives, lambda pattern:
            strip_accents(lower(r.comment)) LIKE pattern ESCAPE '\')))))
