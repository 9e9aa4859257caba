//! Declarations: a narrow table for the queue (fast scans) and the full documents beside it.
//! Hours are stored in hundredths. The evaluation columns are the engine's latest result.

pub const V1: &str = "
CREATE TABLE declarations (
    id             TEXT PRIMARY KEY,
    staff_id       TEXT NOT NULL,
    version        INTEGER NOT NULL,
    status         TEXT NOT NULL,
    form           TEXT NOT NULL,
    category       TEXT NOT NULL,
    title          TEXT NOT NULL,
    organizer      TEXT NOT NULL,
    start_date     TEXT NOT NULL,
    end_date       TEXT NOT NULL,
    claimed_centi  INTEGER NOT NULL,
    -- open | decided | conflict: the reviewer's local state of the item
    review_state   TEXT NOT NULL DEFAULT 'open',
    deleted        INTEGER NOT NULL DEFAULT 0,
    -- evaluation
    year           INTEGER,
    computed_centi INTEGER,
    credited_centi INTEGER,
    deemed         TEXT,
    clause         TEXT,
    explanation    TEXT,
    flags          TEXT NOT NULL DEFAULT '[]',
    flag_mask      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX declarations_status_end ON declarations(status, end_date, id);
CREATE INDEX declarations_end ON declarations(end_date, id);
CREATE INDEX declarations_staff ON declarations(staff_id, end_date);

CREATE TABLE declaration_docs (
    id  TEXT PRIMARY KEY,
    doc TEXT NOT NULL
);
";
