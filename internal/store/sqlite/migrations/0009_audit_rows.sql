-- 0009: every assessment and quota allocation written from now on is an
-- audit record of its own, appended in the row's transaction with the digest
-- of the row's fields (issue 12, part 2); audit verify holds each row against
-- its record. Rows written before this migration have no record: the highest
-- ids at this point are kept here, and rows up to them are counted as
-- predating the audit rather than faulted.
CREATE TABLE audit_rows_start (
    assessments_before BIGINT NOT NULL,
    allocations_before BIGINT NOT NULL
);
INSERT INTO audit_rows_start (assessments_before, allocations_before)
    SELECT (SELECT coalesce(max(id), 0) FROM assessments), (SELECT coalesce(max(id), 0) FROM quota_allocations);
