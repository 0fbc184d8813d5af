-- Improvement actions ("you said, we did") and what they address.
CREATE TABLE actions (
    action_id      INTEGER PRIMARY KEY,
    title_fi       VARCHAR NOT NULL,
    title_sv       VARCHAR,
    title_en       VARCHAR,
    description_fi VARCHAR,
    description_sv VARCHAR,
    description_en VARCHAR,
    start_on       DATE NOT NULL,
    owner          VARCHAR,
    status         VARCHAR NOT NULL DEFAULT 'planned',   -- planned | started | done
    done_on        DATE,
    created_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at     TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE TABLE action_units (action_id INTEGER NOT NULL, unit_id INTEGER NOT NULL);
CREATE TABLE action_themes (action_id INTEGER NOT NULL, theme VARCHAR NOT NULL);
-- The comments that prompted an action, by stable row key (survives a rebuild).
CREATE TABLE action_comments (action_id INTEGER NOT NULL, row_key VARCHAR NOT NULL);
