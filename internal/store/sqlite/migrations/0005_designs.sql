-- 0005: saved design comparisons (POST /v1/designs:compare), so that a
-- comparison's link opens after a restart and on every API node. The body is
-- the JSON answer as written; the two agreement versions it compares are
-- rows of agreements. What is kept is bounded by the API (PruneDesigns: a
-- maximum count and an age), hence the index on the creation time.

CREATE TABLE designs (
    id         TEXT PRIMARY KEY CHECK (length(id) = 32),
    old_hash   TEXT NOT NULL REFERENCES agreements (hash),
    new_hash   TEXT NOT NULL REFERENCES agreements (hash),
    workload   TEXT NOT NULL,
    body       TEXT NOT NULL CHECK (json_valid(body)),
    created_at TEXT NOT NULL
) STRICT;

CREATE INDEX designs_created_at ON designs (created_at, id);
