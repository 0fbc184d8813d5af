-- Headline counts for the current period, the one before it and the same months a year
-- earlier, in one pass over the monthly rollup (tiles compare all three).
-- Params: $start $end $prev_start $prev_end $ly_start $ly_end + the filter lists.
WITH periods(period, p_start, p_end) AS (
    VALUES ('current', $start::DATE, $end::DATE),
           ('previous', $prev_start::DATE, $prev_end::DATE),
           ('year_ago', $ly_start::DATE, $ly_end::DATE)
)
SELECT p.period,
       coalesce(sum(r.responses), 0) AS responses, coalesce(sum(r.scored), 0) AS scored,
       coalesce(sum(r.score_sum), 0) AS score_sum, coalesce(sum(r.satisfied), 0) AS satisfied,
       coalesce(sum(r.nps_n), 0) AS nps_n, coalesce(sum(r.promoters), 0) AS promoters,
       coalesce(sum(r.detractors), 0) AS detractors, coalesce(sum(r.typed), 0) AS typed,
       coalesce(sum(r.praise), 0) AS praise, coalesce(sum(r.wants_reply), 0) AS wants_reply,
       coalesce(sum(r.comments), 0) AS comments,
       coalesce(sum(r.score_sq_sum), 0) AS score_sq_sum
FROM periods p
LEFT JOIN (
    SELECT r.*
    FROM monthly_rollup r
    JOIN units u USING (unit_id)
    LEFT JOIN service_areas sa ON sa.service_area_id = u.service_area_id
    WHERE r.month BETWEEN least($start::DATE, $prev_start::DATE, $ly_start::DATE)
                      AND greatest($end::DATE, $prev_end::DATE, $ly_end::DATE)
      AND ($scope_all OR list_contains($scope, r.unit_id))
      AND (CASE WHEN len($units) > 0 THEN list_contains($units, u.name)
                ELSE len($areas) = 0 OR list_contains($areas, sa.name) END)
      AND (len($channels) = 0 OR list_contains($channels, r.channel))
      AND (len($types) = 0 OR list_contains($types, r.feedback_type))
      AND (len($languages) = 0 OR list_contains($languages, r.language))
) r ON r.month BETWEEN p.p_start AND p.p_end
GROUP BY p.period
