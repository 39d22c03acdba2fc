-- 0003: market simulation runs started through the API, so that any API node
-- can report a run's progress and result. The request and the result are the
-- JSON documents as written.

CREATE TABLE simulations (
    id             TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    status         TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    scenario       TEXT NOT NULL,
    agreement_hash TEXT NOT NULL,
    request        TEXT NOT NULL,
    progress       REAL NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
    result         TEXT,
    error          TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
