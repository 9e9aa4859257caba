//! The unit's roster.

pub const V1: &str = "
CREATE TABLE staff (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    id_number          TEXT NOT NULL,
    unit_id            TEXT NOT NULL,
    title_series       TEXT NOT NULL,
    title_level        TEXT,
    applying_promotion INTEGER NOT NULL,
    active             INTEGER NOT NULL,
    deleted            INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX staff_name ON staff(name);

-- The year's ledger per staff member, as the engine last computed it.
CREATE TABLE ledger (
    staff_id TEXT NOT NULL,
    year     INTEGER NOT NULL,
    entry    TEXT NOT NULL,
    complete INTEGER NOT NULL,
    PRIMARY KEY (staff_id, year)
);
";
