-- Monthly share of commented responses of the given units that raise a theme critically
-- (negative mentions), for the before/after of an action.
WITH c AS (
    SELECT month, sum(comments) AS comments FROM monthly_rollup
    WHERE list_contains($unit_ids, unit_id) AND month BETWEEN $start AND $end
    GROUP BY month
), t AS (
    SELECT month, sum(responses) AS mentions FROM theme_rollup
    WHERE list_contains($unit_ids, unit_id) AND theme = $theme AND polarity = 'negative'
      AND month BETWEEN $start AND $end
    GROUP BY month
)
SELECT c.month, coalesce(t.mentions, 0) AS mentions, c.comments
FROM c LEFT JOIN t USING (month)
ORDER BY c.month
