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

/// What the reader found in each file (stored with the reader's version, so a new reader reads
/// again), and each declaration's flags from the readings of its files, computed for the
/// declaration's version and the readings up to `seq`.
pub const V7: &str = "
CREATE TABLE evidence_readings (
    sha256          TEXT PRIMARY KEY,
    reader_version  INTEGER NOT NULL,
    -- increases with every reading stored: a declaration computed before it is stale
    seq             INTEGER NOT NULL,
    -- the reading as JSON (fields, places, text) or the reason nothing could be read
    reading         TEXT NOT NULL,
    -- the certificate number without separators, to find it on other declarations
    certificate_key TEXT
);
CREATE INDEX evidence_readings_certificate ON evidence_readings(certificate_key)
    WHERE certificate_key IS NOT NULL;
CREATE TABLE declaration_reading (
    declaration_id TEXT PRIMARY KEY,
    version        INTEGER NOT NULL,
    seq            INTEGER NOT NULL,
    -- JSON: the reading flags, and the per-field comparison shown in the detail pane
    flags          TEXT NOT NULL,
    summary        TEXT NOT NULL
);
";
