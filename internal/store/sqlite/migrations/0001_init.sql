-- 0001: agreement versions, the audit trail, and the empty tables the price,
-- duty and quota issues will fill. Decimals are TEXT so they stay exact; dates
-- are TEXT YYYY-MM-DD; times are TEXT in the fixed-width UTC form
-- 2006-01-02T15:04:05.000000Z so that text order is time order.

CREATE TABLE agreements (
    hash      TEXT PRIMARY KEY CHECK (length(hash) = 64),
    name      TEXT NOT NULL,
    canonical BLOB NOT NULL,
    source    BLOB,
    stored_at TEXT NOT NULL
) STRICT;

CREATE INDEX agreements_stored_at ON agreements (stored_at, hash);

CREATE TABLE audit (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail  TEXT CHECK (detail IS NULL OR json_valid(detail))
) STRICT;

CREATE INDEX audit_subject ON audit (subject, id);

CREATE TABLE publications (
    id             INTEGER PRIMARY KEY,
    mineral        TEXT NOT NULL,
    stage          TEXT NOT NULL,
    valid_from     TEXT NOT NULL CHECK (valid_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    valid_to       TEXT CHECK (valid_to IS NULL OR valid_to GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    price          TEXT NOT NULL,
    currency       TEXT NOT NULL,
    unit           TEXT NOT NULL,
    method         TEXT NOT NULL,
    inputs_hash    TEXT NOT NULL,
    body           TEXT NOT NULL CHECK (json_valid(body)),
    supersedes     INTEGER REFERENCES publications (id),
    agreement_hash TEXT NOT NULL REFERENCES agreements (hash),
    created_at     TEXT NOT NULL
) STRICT;

CREATE INDEX publications_lookup ON publications (agreement_hash, mineral, stage, valid_from);

CREATE TABLE assessments (
    id             INTEGER PRIMARY KEY,
    declaration_id TEXT NOT NULL,
    agreement_hash TEXT NOT NULL REFERENCES agreements (hash),
    body           TEXT NOT NULL CHECK (json_valid(body)),
    total_duty     TEXT NOT NULL,
    currency       TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (agreement_hash, declaration_id)
) STRICT;

CREATE TABLE quota_balances (
    quota_id     TEXT NOT NULL,
    period_start TEXT NOT NULL CHECK (period_start GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    volume       TEXT NOT NULL,
    allocated    TEXT NOT NULL,
    unit         TEXT NOT NULL,
    PRIMARY KEY (quota_id, period_start)
) STRICT;

CREATE TABLE quota_allocations (
    id             INTEGER PRIMARY KEY,
    quota_id       TEXT NOT NULL,
    period_start   TEXT NOT NULL,
    declaration_id TEXT NOT NULL,
    quantity       TEXT NOT NULL,
    UNIQUE (quota_id, period_start, declaration_id),
    FOREIGN KEY (quota_id, period_start) REFERENCES quota_balances (quota_id, period_start)
) STRICT;
