-- Themes present in the warehouse, for the theme filter (read from the small rollup).
SELECT DISTINCT theme FROM theme_rollup ORDER BY theme
