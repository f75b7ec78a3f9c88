-- 0016: 案件审理 (the case-handling body's examination after the investigation) on
-- penalty cases.
-- Keep in step with postgres/0016_case_examination.sql.

ALTER TABLE cases ADD COLUMN examined_on TEXT;
