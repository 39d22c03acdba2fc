-- 0006: who may do what (issue 12). API tokens are kept only as the SHA-256
-- of their secret, with the role and the party they are scoped to, their
-- expiry and their revocation; portal sessions only as the SHA-256 of the
-- cookie's value. A token is never deleted, so that the audit trail's
-- "who" keeps naming a stored token; revoking it deletes its sessions.

CREATE TABLE tokens (
    id         TEXT PRIMARY KEY CHECK (length(id) = 20),
    hash       BYTEA NOT NULL CHECK (length(hash) = 32),
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role       TEXT NOT NULL CHECK (role IN ('analyst', 'customs', 'secretariat', 'administrator')),
    party      TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ,
    created_by TEXT NOT NULL,
    CHECK ((role = 'customs') = (party <> ''))
);

CREATE TABLE sessions (
    hash       BYTEA PRIMARY KEY CHECK (length(hash) = 32),
    token_id   TEXT NOT NULL REFERENCES tokens (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX sessions_token ON sessions (token_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
