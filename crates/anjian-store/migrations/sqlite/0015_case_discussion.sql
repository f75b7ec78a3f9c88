-- 0015: 集体讨论 (行政处罚法 art. 57) and approved extensions of the decision period
-- (art. 60) on penalty cases.
-- Keep in step with postgres/0015_case_discussion.sql.

ALTER TABLE cases ADD COLUMN discussed_on TEXT;
ALTER TABLE cases ADD COLUMN extension_days INTEGER NOT NULL DEFAULT 0;
