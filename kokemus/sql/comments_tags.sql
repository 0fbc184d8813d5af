-- Theme tags of the comments on one page, with the words that triggered each tag,
-- so a reader sees why a comment was filed under a theme.
SELECT response_id, theme, polarity, sentence, triggers, taxonomy_version
FROM comment_tags
WHERE list_contains($response_ids, response_id)
ORDER BY response_id, sentence NULLS LAST, theme
