-- Accounts, their unit scopes and group-claim mappings (auth store, not the warehouse:
-- `etl rebuild` recreates the warehouse, and sign-ins must not bump its data version).
-- Scopes name units and service areas (names survive a rebuild; ids need not).
CREATE SEQUENCE account_id_seq START 1;

CREATE TABLE accounts (
    account_id           INTEGER PRIMARY KEY DEFAULT nextval('account_id_seq'),
    username             VARCHAR NOT NULL UNIQUE,
    display_name         VARCHAR,
    email                VARCHAR,
    oidc_subject         VARCHAR,
    role                 VARCHAR NOT NULL,
    password_hash        VARCHAR,
    must_change_password BOOLEAN NOT NULL DEFAULT false,
    failed_attempts      INTEGER NOT NULL DEFAULT 0,
    locked_until         TIMESTAMP,
    disabled             BOOLEAN NOT NULL DEFAULT false,
    created_at           TIMESTAMP NOT NULL DEFAULT current_timestamp,
    last_sign_in         TIMESTAMP
);

CREATE TABLE account_scopes (
    account_id INTEGER NOT NULL,
    kind       VARCHAR NOT NULL,   -- 'unit' | 'area'
    name       VARCHAR NOT NULL
);

-- An OIDC group claim value -> role and scope for users not yet known (optional).
CREATE TABLE group_mappings (
    group_name VARCHAR NOT NULL,
    role       VARCHAR NOT NULL,
    kind       VARCHAR,            -- 'unit' | 'area' | NULL (role with all-unit scope)
    name       VARCHAR
);
