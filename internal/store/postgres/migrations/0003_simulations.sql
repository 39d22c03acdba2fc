-- 0003: market simulation runs started through the API, so that any API node
-- can report a run's progress and result. The request and the result are the
-- JSON documents as written (json, not jsonb).

CREATE TABLE simulations (
    id             TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    status         TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    scenario       TEXT NOT NULL,
    agreement_hash TEXT NOT NULL,
    request        JSON NOT NULL,
    progress       DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
    result         JSON,
    error          TEXT,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
