-- The audit trail: append-only (the code has no UPDATE; DELETE only for retention).
CREATE SEQUENCE audit_id_seq START 1;

CREATE TABLE audit_log (
    audit_id   BIGINT PRIMARY KEY DEFAULT nextval('audit_id_seq'),
    occurred_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    actor      VARCHAR,        -- user name, or the OS user for the command line
    account_id INTEGER,
    role       VARCHAR,
    action     VARCHAR NOT NULL,
    page       VARCHAR,
    target     VARCHAR,        -- batch id, account, theme ... what the action was about
    row_count  BIGINT,
    file_format VARCHAR,
    detail     VARCHAR         -- JSON: the filter, old/new values, reason of a failure
);
