-- Reply cases: every response that asks for a reply becomes a case at import.
-- The case is keyed on the response's stable row_key as well as its id, so a rebuild
-- (which renumbers responses) can carry the staff's work over.
CREATE TABLE reply_cases (
    case_id       BIGINT PRIMARY KEY,
    response_id   BIGINT NOT NULL,
    row_key       VARCHAR NOT NULL,
    batch_id      INTEGER NOT NULL,
    unit_id       INTEGER NOT NULL,
    submitted_on  DATE NOT NULL,
    due_on        DATE NOT NULL,
    promise_days  INTEGER NOT NULL,
    promise_kind  VARCHAR NOT NULL,          -- working | calendar
    status        VARCHAR NOT NULL DEFAULT 'open',  -- open | in_progress | replied | closed
    assignee      VARCHAR,
    replied_on    DATE,
    reply_channel VARCHAR,                   -- phone | email | letter | meeting | other
    close_reason  VARCHAR,                   -- for status 'closed' (without a reply)
    note          VARCHAR,                   -- internal, never shown outside the case
    closed_on     DATE,
    created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Contact details a person left for the reply, captured before the comment is redacted.
-- Restricted: read only by kokemus.replies.case_contacts (the case view); deleted when
-- the case has been closed for the retention period.
CREATE TABLE reply_contacts (
    case_id     BIGINT NOT NULL,
    phone       VARCHAR,
    email       VARCHAR,
    captured_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- The promise, per organisation and optionally per unit (a unit row wins).
CREATE TABLE reply_promises (
    organisation_id INTEGER,                 -- NULL with unit_id NULL: the default
    unit_id         INTEGER,
    days            INTEGER NOT NULL,
    kind            VARCHAR NOT NULL,        -- working | calendar
    retention_days  INTEGER NOT NULL DEFAULT 30
);
INSERT INTO reply_promises VALUES (NULL, NULL, 7, 'working', 30);

-- Each unit's promise: its own row, else its organisation's, else the default.
CREATE VIEW reply_unit_promises AS
SELECT u.unit_id, u.name AS unit, p.days, p.kind, p.retention_days,
       CASE WHEN p.unit_id IS NOT NULL THEN 'unit'
            WHEN p.organisation_id IS NOT NULL THEN 'organisation' ELSE 'default' END AS source
FROM units u
LEFT JOIN service_areas sa ON sa.service_area_id = u.service_area_id
JOIN reply_promises p ON p.unit_id = u.unit_id
  OR (p.unit_id IS NULL AND p.organisation_id = sa.organisation_id)
  OR (p.unit_id IS NULL AND p.organisation_id IS NULL)
QUALIFY row_number() OVER (PARTITION BY u.unit_id ORDER BY
    CASE WHEN p.unit_id IS NOT NULL THEN 0 WHEN p.organisation_id IS NOT NULL THEN 1 ELSE 2 END) = 1;
