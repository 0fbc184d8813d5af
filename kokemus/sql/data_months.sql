-- First and last month with any feedback (anchor of the period presets).
SELECT min(month) AS first_month, max(month) AS last_month FROM monthly_rollup
