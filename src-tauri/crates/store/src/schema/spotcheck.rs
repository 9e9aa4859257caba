//! Spot-check packs (抽审材料包): the sample as drawn, and the finding recorded per item, with
//! its own upload state (findings travel to the platform like decisions, by idempotency key).

pub const V4: &str = "
CREATE TABLE spotcheck_packs (
    id           TEXT PRIMARY KEY,
    year         INTEGER NOT NULL,
    seed         TEXT NOT NULL,
    spec         TEXT NOT NULL,
    candidates   INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL
);
CREATE TABLE spotcheck_items (
    pack_id        TEXT NOT NULL REFERENCES spotcheck_packs(id),
    declaration_id TEXT NOT NULL,
    rank           INTEGER NOT NULL,
    weight         INTEGER NOT NULL,
    reasons        TEXT NOT NULL,
    stratum        TEXT NOT NULL,
    -- NULL | confirmed | problem
    finding        TEXT,
    note           TEXT,
    recorded_at    TEXT,
    recorded_by    TEXT,
    finding_key    TEXT UNIQUE,
    -- none | pending | sent | rejected
    upload         TEXT NOT NULL DEFAULT 'none',
    upload_note    TEXT,
    PRIMARY KEY (pack_id, declaration_id)
);
CREATE INDEX spotcheck_items_upload ON spotcheck_items(upload);
";
