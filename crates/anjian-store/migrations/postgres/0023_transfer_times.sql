-- 0023: 行刑衔接 limits stated in hours are counted in hours (国务院令第310号 art. 5: an
-- approved transfer goes to the police within 24 hours of the decision), so the decision and
-- the transfer record their time of day, local (China Standard Time) `YYYY-MM-DD HH:MM`.
-- Rows made before keep NULL and are counted from the end of their decision day.
-- The decision also records who approved it and in what capacity: only the agency's
-- principal head, or the deputy presiding over its work, may approve (art. 5).
-- Keep in step with the other dialect's 0023_transfer_times.sql.

ALTER TABLE transfers ADD COLUMN decided_at TEXT;
ALTER TABLE transfers ADD COLUMN transferred_at TEXT;
ALTER TABLE transfers ADD COLUMN decided_by TEXT NOT NULL DEFAULT '';
ALTER TABLE transfers ADD COLUMN decided_as TEXT NOT NULL DEFAULT '' CHECK (decided_as IN ('', 'principal', 'presiding'));
