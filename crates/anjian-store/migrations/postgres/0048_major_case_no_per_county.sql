-- 0048: a major-hazard case number is unique within its county, not across the store.
--   Numbers are counted per county and year (2022-0001, 2022-0002, ...), so in a store
--   holding several counties (a province) the second county's first case of a year
--   collided with the first county's and was refused.
-- Keep in step with the other backend's 0048_major_case_no_per_county.sql.

ALTER TABLE major_cases DROP CONSTRAINT major_cases_case_no_key;
CREATE UNIQUE INDEX major_cases_case_no ON major_cases (county_code, case_no);
