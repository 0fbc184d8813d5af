-- Service areas and their units, for the sidebar filter (only the units in scope).
SELECT coalesce(sa.name, '') AS service_area, u.name AS unit
FROM units u
LEFT JOIN service_areas sa ON sa.service_area_id = u.service_area_id
WHERE $scope_all OR list_contains($scope, u.unit_id)
ORDER BY service_area, unit
