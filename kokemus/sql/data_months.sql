-- First and last month with any feedback in scope (anchor of the period presets).
SELECT min(month) AS first_month, max(month) AS last_month FROM monthly_rollup
WHERE $scope_all OR list_contains($scope, unit_id)
