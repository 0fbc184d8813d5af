-- Sum of squared scores per rollup cell, so the mean score gets a real 95 % interval.
ALTER TABLE monthly_rollup ADD COLUMN score_sq_sum DOUBLE DEFAULT 0;
UPDATE monthly_rollup m SET score_sq_sum = s.sq
FROM (
    SELECT unit_id, month, channel, feedback_type, language, coalesce(sum(score_5 * score_5), 0) AS sq
    FROM responses GROUP BY ALL
) s
WHERE m.unit_id = s.unit_id AND m.month = s.month
  AND m.channel IS NOT DISTINCT FROM s.channel
  AND m.feedback_type IS NOT DISTINCT FROM s.feedback_type
  AND m.language IS NOT DISTINCT FROM s.language;
