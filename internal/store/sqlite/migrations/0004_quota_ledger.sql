-- 0004: the quota ledger keeps what a repeated declaration must get back.
-- A period remembers the share at which it turns critical; an allocation
-- remembers the status and balance it was granted with, so that allocating the
-- same declaration again returns the same grant. Quantities are TEXT, exact.

ALTER TABLE quota_balances ADD COLUMN critical_at TEXT NOT NULL DEFAULT '0';

ALTER TABLE quota_allocations ADD COLUMN status TEXT NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'critical', 'exhausted'));
ALTER TABLE quota_allocations ADD COLUMN balance TEXT NOT NULL DEFAULT '0';
ALTER TABLE quota_allocations ADD COLUMN day TEXT;

CREATE INDEX assessments_currency ON assessments (agreement_hash, currency);
