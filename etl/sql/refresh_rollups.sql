-- Recompute the monthly and theme rollups for the (unit, month) cells in `affected`.
DELETE FROM monthly_rollup USING affected a
WHERE monthly_rollup.unit_id = a.unit_id AND monthly_rollup.month = a.month;

INSERT INTO monthly_rollup (unit_id, month, channel, feedback_type, language, responses, scored,
    score_sum, satisfied, nps_n, promoters, detractors, typed, praise, wants_reply, comments, score_sq_sum)
SELECT r.unit_id, r.month, r.channel, r.feedback_type, r.language,
       count(*), count(r.score_5), coalesce(sum(r.score_5), 0),
       count(*) FILTER (WHERE r.score_5 >= 4),
       count(r.nps), count(*) FILTER (WHERE r.nps >= 9), count(*) FILTER (WHERE r.nps <= 6),
       count(r.feedback_type), count(*) FILTER (WHERE r.feedback_type = 'praise'),
       count(*) FILTER (WHERE r.wants_reply), count(r.comment),
       coalesce(sum(r.score_5 * r.score_5), 0)
FROM responses r SEMI JOIN affected a ON r.unit_id = a.unit_id AND r.month = a.month
GROUP BY ALL;

DELETE FROM theme_rollup USING affected a
WHERE theme_rollup.unit_id = a.unit_id AND theme_rollup.month = a.month;

INSERT INTO theme_rollup (unit_id, month, theme, polarity, feedback_type, responses)
SELECT r.unit_id, r.month, t.theme, t.polarity, r.feedback_type, count(DISTINCT r.response_id)
FROM comment_tags t
JOIN responses r USING (response_id)
SEMI JOIN affected a ON r.unit_id = a.unit_id AND r.month = a.month
GROUP BY ALL;
