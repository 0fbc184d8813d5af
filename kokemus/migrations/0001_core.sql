-- Core schema: organisation, batches, responses, answers, rejects, tags.
-- Bookkeeping tables start with an underscore; `feedback` is the public contract.

CREATE TABLE organisations (
    organisation_id INTEGER PRIMARY KEY,
    name            VARCHAR NOT NULL UNIQUE
);

CREATE TABLE service_areas (
    service_area_id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL,
    name            VARCHAR NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE units (
    unit_id          INTEGER PRIMARY KEY,
    service_area_id  INTEGER,
    name             VARCHAR NOT NULL UNIQUE,
    created_batch_id INTEGER,
    created_at       TIMESTAMP DEFAULT current_timestamp
);

-- alias_key is the normalised spelling (see etl/units.py); one spelling, one unit.
CREATE TABLE unit_aliases (
    alias_key  VARCHAR PRIMARY KEY,
    unit_id    INTEGER NOT NULL,
    alias      VARCHAR NOT NULL,
    batch_id   INTEGER
);

CREATE TABLE import_batches (
    batch_id        INTEGER PRIMARY KEY,
    file_name       VARCHAR NOT NULL,
    file_hash       VARCHAR NOT NULL,
    archive_path    VARCHAR,
    profile         VARCHAR,
    imported_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    imported_by     VARCHAR,
    status          VARCHAR NOT NULL DEFAULT 'loaded',
    rows_read       BIGINT NOT NULL DEFAULT 0,
    rows_loaded     BIGINT NOT NULL DEFAULT 0,
    rows_duplicate  BIGINT NOT NULL DEFAULT 0,
    rows_rejected   BIGINT NOT NULL DEFAULT 0,
    redactions      BIGINT NOT NULL DEFAULT 0,
    new_units       VARCHAR[],
    sheets_used     VARCHAR[],
    sheets_skipped  VARCHAR[],
    message         VARCHAR
);

-- No PRIMARY KEY / UNIQUE here on purpose: an ART index on 10M rows makes bulk loads
-- several times slower. Identity is kept by the loader (anti-join on row_key).
CREATE TABLE responses (
    response_id   BIGINT NOT NULL,
    row_key       VARCHAR NOT NULL,
    batch_id      INTEGER NOT NULL,
    unit_id       INTEGER NOT NULL,
    submitted_on  DATE,
    month         DATE NOT NULL,
    channel       VARCHAR,
    language      VARCHAR,
    score_5       DOUBLE,
    scale         VARCHAR,
    raw_score     VARCHAR,
    nps           SMALLINT,
    feedback_type VARCHAR,
    type_source   VARCHAR,
    comment       VARCHAR,
    wants_reply   BOOLEAN,
    counted       BOOLEAN NOT NULL DEFAULT false,
    source_file   VARCHAR,
    source_sheet  VARCHAR,
    source_row    INTEGER
);

CREATE TABLE answers (
    response_id BIGINT NOT NULL,
    batch_id    INTEGER NOT NULL,
    question    VARCHAR NOT NULL,
    raw_value   VARCHAR,
    value       DOUBLE
);

CREATE TABLE rejected_rows (
    batch_id     INTEGER NOT NULL,
    file_name    VARCHAR,
    sheet        VARCHAR,
    source_row   INTEGER,
    column_name  VARCHAR,
    value        VARCHAR,
    reason_code  VARCHAR NOT NULL,
    reason_fi    VARCHAR NOT NULL,
    reason_en    VARCHAR NOT NULL,
    row_kept     BOOLEAN NOT NULL DEFAULT false,
    row_values   VARCHAR
);

CREATE TABLE comment_tags (
    response_id      BIGINT NOT NULL,
    batch_id         INTEGER NOT NULL,
    theme            VARCHAR NOT NULL,
    polarity         VARCHAR,
    sentence         INTEGER,
    triggers         VARCHAR[],
    taxonomy_version VARCHAR
);

-- Pre-aggregated monthly figures so chart queries never scan raw responses.
CREATE TABLE monthly_rollup (
    unit_id        INTEGER NOT NULL,
    month          DATE NOT NULL,
    channel        VARCHAR,
    feedback_type  VARCHAR,
    language       VARCHAR,
    responses      BIGINT NOT NULL,
    scored         BIGINT NOT NULL,
    score_sum      DOUBLE NOT NULL,
    satisfied      BIGINT NOT NULL,
    nps_n          BIGINT NOT NULL,
    promoters      BIGINT NOT NULL,
    detractors     BIGINT NOT NULL,
    typed          BIGINT NOT NULL,
    praise         BIGINT NOT NULL,
    wants_reply    BIGINT NOT NULL,
    comments       BIGINT NOT NULL
);

CREATE TABLE theme_rollup (
    unit_id       INTEGER NOT NULL,
    month         DATE NOT NULL,
    theme         VARCHAR NOT NULL,
    polarity      VARCHAR,
    feedback_type VARCHAR,
    responses     BIGINT NOT NULL
);
