//! Declarations: a narrow table for the queue (fast scans, no joins) and the full documents
//! beside it.
//! Hours are stored in hundredths. The evaluation columns are the engine's latest result.

pub const V1: &str = "
CREATE TABLE declarations (
    id             TEXT PRIMARY KEY,
    staff_id       TEXT NOT NULL,
    version        INTEGER NOT NULL,
    status         TEXT NOT NULL,
    form           TEXT NOT NULL,
    category       TEXT NOT NULL,
    -- denormalized from staff so that sorting and paging never join
    staff_name     TEXT,
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
    flags          TEXT NOT NULL DEFAULT '[]',
    flag_mask      INTEGER NOT NULL DEFAULT 0
);
-- Partial indexes on live rows: the queue's filters, sorts and counts are served from them.
CREATE INDEX declarations_status_end ON declarations(status, end_date, id) WHERE deleted = 0;
CREATE INDEX declarations_end ON declarations(end_date, id) WHERE deleted = 0;
CREATE INDEX declarations_staff ON declarations(staff_id, end_date);
CREATE INDEX declarations_form_end ON declarations(form, end_date, start_date, staff_name, id) WHERE deleted = 0;
CREATE INDEX declarations_name ON declarations(staff_name, id) WHERE deleted = 0;
CREATE INDEX declarations_review ON declarations(status, review_state, flag_mask) WHERE deleted = 0;

-- The full interchange document and the long explanation, read one at a time.
CREATE TABLE declaration_docs (
    id          TEXT PRIMARY KEY,
    doc         TEXT NOT NULL,
    explanation TEXT
);
";

/// The queue's default view is "pending unit review"; with a form filter on top, this index
/// answers the count and the ordered page without reading the table.
pub const V3: &str = "
CREATE INDEX declarations_status_form_end ON declarations(status, form, end_date, id) WHERE deleted = 0;
";

/// A declaration may claim nothing (a deemed form): `claimed_centi` is then 0 and this is 1.
pub const V5: &str = "
ALTER TABLE declarations ADD COLUMN claimed_absent INTEGER NOT NULL DEFAULT 0;
";
