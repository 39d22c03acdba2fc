-- 0010: published floors and API tokens join the rows held against their
-- audit records (issue 12, part 2): each publication and each token change is
-- written with its own audit record, in its transaction, with the digest of
-- the row. Rows from before keep no record: the highest publication id, and
-- the ids of the tokens, at this point are kept, and those rows are counted as
-- predating the audit rather than faulted.
ALTER TABLE audit_rows_start ADD COLUMN publications_before BIGINT NOT NULL DEFAULT 0;
UPDATE audit_rows_start SET publications_before = (SELECT coalesce(max(id), 0) FROM publications);
CREATE TABLE audit_tokens_before (id TEXT PRIMARY KEY);
INSERT INTO audit_tokens_before (id) SELECT id FROM tokens;
