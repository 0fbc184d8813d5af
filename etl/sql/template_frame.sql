-- Usable template rows in the canonical shape (etl/contract.py CANONICAL_COLUMNS), but for the
-- comment: etl/read/template.py adds it from Arrow after type_source, by source_row.
SELECT
    unit_val AS unit_name,
    nullif(trim(service_area), '') AS service_area,
    d AS submitted_on,
    date_trunc('month', d)::DATE AS month,
    CASE lower(trim(channel))
        WHEN 'paperi' THEN 'paper' WHEN 'paper' THEN 'paper'
        WHEN 'kioski' THEN 'kiosk' WHEN 'kiosk' THEN 'kiosk'
        WHEN 'verkko' THEN 'web' WHEN 'web' THEN 'web'
        WHEN 'sähköposti' THEN 'email' WHEN 'email' THEN 'email'
        WHEN 'tekstiviesti' THEN 'sms' WHEN 'sms' THEN 'sms'
        WHEN 'puhelin' THEN 'phone' WHEN 'phone' THEN 'phone'
    END AS channel,
    CASE WHEN lower(trim(language)) IN ('fi', 'sv', 'en') THEN lower(trim(language)) END AS language,
    score_5_val AS score_5,
    CASE WHEN score_raw IS NOT NULL THEN replace(scale_key, 'smiley4', 'hymiö4') END AS scale,
    score_raw AS raw_score,
    nps_val AS nps,
    type_norm AS feedback_type,
    CASE WHEN type_norm IS NOT NULL THEN 'source' END AS type_source,
    CASE WHEN lower(trim(wants_reply)) IN ('kyllä', 'k', 'yes', 'ja', 'true', '1', 'x') THEN true
         WHEN lower(trim(wants_reply)) IN ('ei', 'e', 'no', 'nej', 'false', '0') THEN false END AS wants_reply,
    false AS counted,
    nullif(trim(external_id), '') AS external_id,
    $sheet AS source_sheet,
    source_row
FROM parsed
WHERE d IS NOT NULL AND unit_val IS NOT NULL
ORDER BY source_row;
