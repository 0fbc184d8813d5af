-- The unit ids an account may see: units named in its scope and every unit of the
-- service areas named in it. Names that match nothing give nothing (never everything).
SELECT u.unit_id
FROM units u
LEFT JOIN service_areas sa ON sa.service_area_id = u.service_area_id
WHERE list_contains($units, u.name) OR list_contains($areas, sa.name)
ORDER BY u.unit_id
