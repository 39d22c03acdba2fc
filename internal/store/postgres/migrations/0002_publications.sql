-- 0002: publications as the reference-price work uses them. A publication is
-- immutable: publishing the same inputs again finds the row by its inputs
-- hash (unique per agreement, mineral, stage and revision); a correction is a
-- new row that names the one it supersedes, and a row is superseded at most
-- once, so the corrections of a revision form one chain.

ALTER TABLE publications RENAME COLUMN created_at TO published_at;

ALTER TABLE publications ADD COLUMN illustrative BOOLEAN NOT NULL DEFAULT false;

CREATE UNIQUE INDEX publications_inputs ON publications (agreement_hash, mineral, stage, valid_from, inputs_hash);

CREATE UNIQUE INDEX publications_supersedes ON publications (supersedes);
