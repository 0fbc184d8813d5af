-- Service areas and their units, for the sidebar filter.
SELECT coalesce(sa.name, '') AS service_area, u.name AS unit
FROM units u
LEFT JOIN service_areas sa ON sa.service_area_id = u.service_area_id
ORDER BY service_area, unit
