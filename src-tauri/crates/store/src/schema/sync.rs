//! Sync state: a server cursor per scope, conflicts with both versions, and small settings.

pub const V1: &str = "
CREATE TABLE sync_cursors (
    scope           TEXT PRIMARY KEY,
    cursor          TEXT NOT NULL,
    server_count    INTEGER,
    server_checksum TEXT,
    updated_at      TEXT NOT NULL
);
CREATE TABLE conflicts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    declaration_id TEXT NOT NULL,
    decision_key   TEXT NOT NULL,
    local          TEXT NOT NULL,
    server         TEXT NOT NULL,
    detected_at    TEXT NOT NULL,
    resolved_at    TEXT
);
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
";
