-- 0007: simulation runs that survive their node, with bounded results
-- (issue 12). owner names the node that queued or runs a run and
-- lease_until how long its claim holds: the owner renews it; past it any
-- node fails the run, once (a conditional UPDATE). summary is the result
-- without its paths, kept after the result (the detail) is dropped at
-- expires_at. A run stored before 0007 has no lease: the first node to
-- reclaim fails it if it is still queued or running.

ALTER TABLE simulations ADD COLUMN owner TEXT;
ALTER TABLE simulations ADD COLUMN lease_until TIMESTAMPTZ;
ALTER TABLE simulations ADD COLUMN summary JSON;
ALTER TABLE simulations ADD COLUMN expires_at TIMESTAMPTZ;

CREATE INDEX simulations_unfinished ON simulations (lease_until) WHERE status IN ('queued', 'running');
CREATE INDEX simulations_expiry ON simulations (expires_at) WHERE result IS NOT NULL;
