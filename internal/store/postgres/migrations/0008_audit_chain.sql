-- 0008: the audit trail as a hash chain (issue 12, part 2). Each record
-- appended from now on keeps the SHA-256 of the previous record's hash and
-- its own fields (store.AuditHash), so that a record edited, deleted or
-- inserted behind the store's back breaks the chain where it was touched
-- (mineralpact audit verify). Records appended before keep a NULL hash: the
-- chain starts after them.
ALTER TABLE audit ADD COLUMN hash TEXT;
