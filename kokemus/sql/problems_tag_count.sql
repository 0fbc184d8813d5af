-- Whether the tagger has filed any comment under a theme at all.
SELECT count(*) FROM (SELECT 1 FROM comment_tags LIMIT 1)
