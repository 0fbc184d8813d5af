-- Corrections of a comment's themes and type by a person (issue 13): who, when, before,
-- after. The latest correction of a response wins; `etl retag` re-applies them, and they
-- teach the per-organisation learned model (etl/themes/learned.py).
CREATE SEQUENCE IF NOT EXISTS tag_correction_ids START 1;
CREATE TABLE IF NOT EXISTS tag_corrections (
    correction_id  BIGINT PRIMARY KEY DEFAULT nextval('tag_correction_ids'),
    response_id    BIGINT NOT NULL,
    corrected_by   VARCHAR NOT NULL,
    corrected_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
    type_before    VARCHAR,
    type_after     VARCHAR,
    themes_before  VARCHAR[] NOT NULL,
    themes_after   VARCHAR[] NOT NULL
);
CREATE INDEX IF NOT EXISTS tag_corrections_response ON tag_corrections (response_id);
