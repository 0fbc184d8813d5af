-- Improvement actions with their units and themes. $units: unit names (empty = all);
-- $allowed: unit ids the user may see (NULL = all); an action is shown when any of its
-- units is in scope.
SELECT a.action_id, a.title_fi, a.title_sv, a.title_en, a.description_fi, a.description_sv,
       a.description_en, a.start_on, a.done_on, a.owner, a.status,
       list_sort(list_distinct(list(u.name))) AS units,
       list_sort(list_distinct(list(au.unit_id))) AS unit_ids,
       coalesce((SELECT list_sort(list(theme)) FROM action_themes t WHERE t.action_id = a.action_id),
                []::VARCHAR[]) AS themes,
       (SELECT count(*) FROM action_comments c WHERE c.action_id = a.action_id) AS prompted_by
FROM actions a
JOIN action_units au USING (action_id)
JOIN units u ON u.unit_id = au.unit_id
GROUP BY ALL
HAVING (len($units) = 0 OR len(list_intersect(list(u.name), $units)) > 0)
   AND ($allowed IS NULL OR len(list_intersect(list(au.unit_id), $allowed)) > 0)
ORDER BY a.start_on DESC, a.action_id
