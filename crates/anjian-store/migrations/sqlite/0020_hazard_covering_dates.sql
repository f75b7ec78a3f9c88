-- 0020: the hazard date indexes carry every column the hazard metrics read (scope, statistical
-- dimensions, predicates, the funds summed), so a report reads a period's hazards from these
-- indexes alone, never the table: a county's through the (county_code, date) pair, a
-- province's through the date-only pair.
-- Keep in step with postgres/0020_hazard_covering_dates.sql.

DROP INDEX hazards_found_on;
DROP INDEX hazards_closed_on;
DROP INDEX hazards_found_day;
DROP INDEX hazards_closed_day;
CREATE INDEX hazards_found_on ON hazards (county_code, found_on, region_code, sector, campaign, department_id, enterprise_id, level, status, source, closed_on, deadline, funds_spent);
CREATE INDEX hazards_closed_on ON hazards (county_code, closed_on, region_code, sector, campaign, department_id, enterprise_id, level, status, source, found_on, deadline, funds_spent);
CREATE INDEX hazards_found_day ON hazards (found_on, county_code, region_code, sector, campaign, department_id, enterprise_id, level, status, source, closed_on, deadline, funds_spent);
CREATE INDEX hazards_closed_day ON hazards (closed_on, county_code, region_code, sector, campaign, department_id, enterprise_id, level, status, source, found_on, deadline, funds_spent);
