-- The comments one selection holds: shared filters + the Comments page's own filters.
-- Empty lists and NULLs mean "not set". Each search word is one regular expression
-- ($word1..$word6, then $more_words): the word as typed, its lemma and the forms of that
-- lemma found in the comments, lower-cased, accent-stripped and escaped; every word must
-- match somewhere in the comment.
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
  AND ($scope_all OR list_contains($scope, r.unit_id))
  AND (CASE WHEN len($units) > 0 THEN list_contains($units, u.name)
            ELSE len($areas) = 0 OR list_contains($areas, sa.name) END)
  AND (len($channels) = 0 OR list_contains($channels, r.channel))
  AND (len($languages) = 0 OR list_contains($languages, r.language))
  AND (len($types) = 0 OR list_contains($types, r.feedback_type))
  AND ($score_min IS NULL OR r.score_5 >= $score_min)
  AND ($score_max IS NULL OR r.score_5 <= $score_max)
  AND ($theme IS NULL OR r.response_id IN (
        SELECT response_id FROM comment_tags WHERE theme = $theme))
  AND ($word1 IS NULL OR regexp_matches(strip_accents(lower(r.comment)), $word1))
  AND ($word2 IS NULL OR regexp_matches(strip_accents(lower(r.comment)), $word2))
  AND ($word3 IS NULL OR regexp_matches(strip_accents(lower(r.comment)), $word3))
  AND ($word4 IS NULL OR regexp_matches(strip_accents(lower(r.comment)), $word4))
  AND ($word5 IS NULL OR regexp_matches(strip_accents(lower(r.comment)), $word5))
  AND ($word6 IS NULL OR regexp_matches(strip_accents(lower(r.comment)), $word6))
  AND ($more_words IS NULL OR list_bool_and(list_transform($more_words, lambda pattern:
        regexp_matches(strip_accents(lower(r.comment)), pattern))))
