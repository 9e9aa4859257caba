//! Evidence files, content-addressed. Bytes live in the encrypted database in chunks, so a
//! download can resume from what is stored.

pub const V1: &str = "
CREATE TABLE evidence (
    sha256       TEXT PRIMARY KEY,
    size         INTEGER NOT NULL,
    media_type   TEXT NOT NULL,
    -- missing | partial | present
    state        TEXT NOT NULL DEFAULT 'missing',
    bytes_stored INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE evidence_chunks (
    sha256 TEXT NOT NULL,
    offset INTEGER NOT NULL,
    data   BLOB NOT NULL,
    PRIMARY KEY (sha256, offset)
);
CREATE TABLE declaration_evidence (
    declaration_id TEXT NOT NULL,
    evidence_id    TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    PRIMARY KEY (declaration_id, evidence_id)
);
CREATE INDEX declaration_evidence_sha ON declaration_evidence(sha256);
";
