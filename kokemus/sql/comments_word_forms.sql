-- Words in the comments that begin like a search word's lemma ($prefix: letters only,
-- lower-case), so kokemus/comment_queries.py can keep those whose lemma is the searched
-- one: "puhelin" -> puhelimeen, puhelimessa; "jono" -> jonossa. Capped: a prefix shared
-- by thousands of words is narrowed by the lemma check anyway.
SELECT DISTINCT w AS word
FROM (
    SELECT unnest(regexp_extract_all(lower(comment), '\p{L}*' || $prefix || '\p{L}*')) AS w
    FROM responses
    WHERE comment IS NOT NULL AND contains(lower(comment), $prefix)
)
LIMIT 20000
