-- Facts about the warehouse itself. `etl demo` writes ('demo', 'true'): only a warehouse
-- so marked may be served without sign-in (explicit demo mode, see docs/deployment.md).
CREATE TABLE IF NOT EXISTS warehouse_flags (
    name   VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL,
    set_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
