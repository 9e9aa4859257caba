//! Decisions and the outbox that carries them to the platform.

pub const V1: &str = "
CREATE TABLE decisions (
    key                 TEXT PRIMARY KEY,
    declaration_id      TEXT NOT NULL,
    declaration_version INTEGER NOT NULL,
    outcome             TEXT NOT NULL,
    credited_centi      INTEGER,
    category            TEXT,
    reason              TEXT,
    reviewer            TEXT NOT NULL,
    decided_at          TEXT NOT NULL,
    -- jxjy_core::DecisionState codes
    state               TEXT NOT NULL,
    server_note         TEXT,
    updated_at          TEXT NOT NULL
);
CREATE INDEX decisions_declaration ON decisions(declaration_id);

CREATE TABLE outbox (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    decision_key TEXT NOT NULL UNIQUE REFERENCES decisions(key),
    in_flight    INTEGER NOT NULL DEFAULT 0,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    enqueued_at  TEXT NOT NULL
);
";

/// The declaration as the reviewer saw it when deciding, so a conflict can show what changed.
pub const V2: &str = "
ALTER TABLE decisions ADD COLUMN seen_doc TEXT;
";

/// The batch approval a decision belongs to, so that the batch can be undone as one.
pub const V6: &str = "
ALTER TABLE decisions ADD COLUMN batch TEXT;
CREATE INDEX decisions_batch ON decisions(batch) WHERE batch IS NOT NULL;
";
