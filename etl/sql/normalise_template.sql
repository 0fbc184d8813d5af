-- Template rows (all text) -> typed values. Raw text is kept beside each parsed value so
-- template_rejects.sql can explain every cell that did not parse. The comment, the one wide
-- column, is not copied here: it needs no parsing, so the frame takes it from Arrow and the
-- rejects from `src_comments` (etl/read/template.py).
CREATE OR REPLACE TEMP TABLE parsed AS
WITH s AS (
    SELECT * EXCLUDE (comment),
        nullif(trim(submitted_on), '') AS d_raw,
        nullif(trim(raw_score), '') AS score_raw,
        nullif(trim(nps), '') AS nps_raw,
        nullif(lower(trim(feedback_type)), '') AS type_raw,
        coalesce(nullif(lower(replace(trim(scale), ' ', '')), ''), '1-5') AS scale_key
    FROM src
    -- an empty row (anywhere, also the thousands Excel keeps after a stray cell) is
    -- neither a response nor a reject
    WHERE coalesce(nullif(trim(submitted_on), ''), nullif(trim(unit_name), ''), nullif(trim(service_area), ''),
                   nullif(trim(channel), ''), nullif(trim(language), ''), nullif(trim(raw_score), ''),
                   nullif(trim(scale), ''), nullif(trim(nps), ''), nullif(trim(feedback_type), ''),
                   nullif(trim(comment), ''), nullif(trim(wants_reply), ''), nullif(trim(external_id), '')) IS NOT NULL
), p AS (
    SELECT *,
        coalesce(
            try_strptime(d_raw, '%Y-%m-%d %H:%M:%S'),
            try_strptime(d_raw, '%Y-%m-%d'),
            try_strptime(d_raw, '%d.%m.%Y'),
            try_strptime(d_raw, '%d.%m.%Y %H.%M'),
            try_strptime(d_raw, '%d.%m.%Y %H:%M'),
            try_strptime(d_raw, '%Y-%m-%dT%H:%M:%S')
        )::DATE AS d,
        try_cast(replace(score_raw, ',', '.') AS DOUBLE) AS score_num,
        try_cast(replace(nps_raw, ',', '.') AS DOUBLE) AS nps_num,
        CASE
            WHEN type_raw IN ('kiitos', 'praise', 'beröm', 'positiivinen') THEN 'praise'
            WHEN type_raw IN ('moite', 'complaint', 'valitus', 'kritiikki', 'klagomål', 'negatiivinen') THEN 'complaint'
            WHEN type_raw IN ('kehitysehdotus', 'kehittämisehdotus', 'suggestion', 'förslag', 'ehdotus') THEN 'suggestion'
            WHEN type_raw IN ('kysymys', 'question', 'fråga') THEN 'question'
        END AS type_norm,
        CASE scale_key
            WHEN '1-5' THEN [1.0, 5.0] WHEN '4-10' THEN [4.0, 10.0]
            WHEN '0-10' THEN [0.0, 10.0] WHEN 'hymiö4' THEN [1.0, 4.0] WHEN 'smiley4' THEN [1.0, 4.0]
        END AS bounds
    FROM s
)
SELECT *,
    CASE WHEN bounds IS NULL OR score_num NOT BETWEEN bounds[1] AND bounds[2] THEN NULL
         -- 4-button smiley: 1/2/3/4 -> 1/2/4/5 (docs/metrics.md), so "Hyvä" counts as satisfied
         WHEN scale_key IN ('hymiö4', 'smiley4') THEN
              CASE WHEN score_num <= 2 THEN score_num WHEN score_num <= 3 THEN 2 + (score_num - 2) * 2
                   ELSE 4 + (score_num - 3) END
         ELSE 1 + (score_num - bounds[1]) * 4 / (bounds[2] - bounds[1]) END AS score_5_val,
    CASE WHEN nps_num BETWEEN 0 AND 10 AND nps_num = floor(nps_num) THEN nps_num::SMALLINT END AS nps_val,
    nullif(trim(unit_name), '') AS unit_val
FROM p;
