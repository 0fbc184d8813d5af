-- Monthly counts per unit (unit table sparklines, per-unit SPC charts).
SELECT u.name AS unit, sa.name AS service_area, r.month,
       sum(r.responses) AS responses, sum(r.scored) AS scored, sum(r.score_sum) AS score_sum,
       sum(r.satisfied) AS satisfied, sum(r.nps_n) AS nps_n, sum(r.promoters) AS promoters,
       sum(r.detractors) AS detractors, sum(r.typed) AS typed, sum(r.praise) AS praise,
       sum(r.wants_reply) AS wants_reply, sum(r.comments) AS comments,
       sum(r.score_sq_sum) AS score_sq_sum
FROM monthly_rollup r
JOIN units u USING (unit_id)
LEFT JOIN service_areas sa ON sa.service_area_id = u.service_area_id
WHERE r.month BETWEEN $start AND $end
      AND ($scope_all OR list_contains($scope, r.unit_id))
      AND (CASE WHEN len($units) > 0 THEN list_contains($units, u.name)
                ELSE len($areas) = 0 OR list_contains($areas, sa.name) END)
      AND (len($channels) = 0 OR list_contains($channels, r.channel))
      AND (len($types) = 0 OR list_contains($types, r.feedback_type))
      AND (len($languages) = 0 OR list_contains($languages, r.language))
GROUP BY ALL
ORDER BY unit, r.month
