-- 0011: the monitor's scans, alerts and cases (issue 13, part 4). An alert
-- is kept as the JSON its detector wrote, with the columns that filter and
-- rank it; its id is the digest of its pattern and window, so the same
-- finding in a later scan keeps its first row. A case is opened from alerts
-- (an alert is in one case at most) and its history is a list of events,
-- each with the status it left: every row is written once, with its audit
-- record in the same transaction, and none is rewritten. Nothing predates
-- this migration, so every row here has its record. The body is TEXT, kept
-- byte for byte.

CREATE TABLE monitor_scans (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    as_of      TEXT NOT NULL,
    detectors  TEXT NOT NULL,
    source     TEXT NOT NULL,
    margin     DOUBLE PRECISION NOT NULL,
    alerts     INTEGER NOT NULL,
    stored     INTEGER NOT NULL,
    suppressed INTEGER NOT NULL,
    regrown    INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE monitor_alerts (
    id          TEXT PRIMARY KEY,
    scan_id     BIGINT NOT NULL REFERENCES monitor_scans (id),
    detector    TEXT NOT NULL,
    importer    TEXT NOT NULL,
    exporter    TEXT NOT NULL,
    hs          TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to   TEXT NOT NULL,
    score       DOUBLE PRECISION NOT NULL,
    magnitude   DOUBLE PRECISION NOT NULL,
    pattern     TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('new', 'suppressed', 'regrown')),
    state_case  BIGINT NOT NULL,
    body        TEXT NOT NULL
);

CREATE INDEX monitor_alerts_rank ON monitor_alerts (score DESC, id);
CREATE INDEX monitor_alerts_pattern ON monitor_alerts (pattern);
CREATE INDEX monitor_alerts_detector ON monitor_alerts (detector, score DESC);
CREATE INDEX monitor_alerts_importer ON monitor_alerts (importer, score DESC);
CREATE INDEX monitor_alerts_exporter ON monitor_alerts (exporter, score DESC);
CREATE INDEX monitor_alerts_hs ON monitor_alerts (hs, score DESC);
CREATE INDEX monitor_alerts_scan ON monitor_alerts (scan_id);

CREATE TABLE monitor_cases (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title     TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    opened_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE monitor_case_alerts (
    alert_id TEXT PRIMARY KEY REFERENCES monitor_alerts (id),
    case_id  BIGINT NOT NULL REFERENCES monitor_cases (id),
    position INTEGER NOT NULL
);

CREATE INDEX monitor_case_alerts_case ON monitor_case_alerts (case_id, position);

CREATE TABLE monitor_case_events (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES monitor_cases (id),
    kind    TEXT NOT NULL CHECK (kind IN ('open', 'note', 'confirm', 'dismiss')),
    status  TEXT NOT NULL CHECK (status IN ('open', 'confirmed', 'dismissed')),
    actor   TEXT NOT NULL,
    at      TIMESTAMPTZ NOT NULL,
    text    TEXT NOT NULL
);

CREATE INDEX monitor_case_events_case ON monitor_case_events (case_id, id);
