-- 0054: a new hazard is appended to the date indexes instead of being put among its peers.
-- The six covering date indexes (0020, 0024) were ordered by the date and then by the region,
-- sector and the rest, which are only carried (a report reads them, it never seeks on them:
-- the date is always a range). Every new hazard is open and found about today, so each one
-- went to a place in the large "open" group picked by its village and sector: a different
-- page of each index for each hazard, read, changed and written out on every commit. With
-- the id right after the date, a new hazard goes at the end of its group, on the page the
-- previous one changed (issue 19: POST hazard 2,070/s from 1,425/s under wrk on the 1M county,
-- SQLite, same sitting). The columns carried are unchanged; reads use the indexes as before.
-- Rebuilding them reads the hazard table once per index: minutes on a province's store.
-- Keep in step with the other backend's 0054_date_indexes_append.sql.

DROP INDEX hazards_found_on;
DROP INDEX hazards_closed_on;
DROP INDEX hazards_found_day;
DROP INDEX hazards_closed_day;
DROP INDEX hazards_open_at;
DROP INDEX hazards_open_at_day;
CREATE INDEX hazards_found_on ON hazards (county_code, found_on, id, region_code, sector, campaign, department_id, enterprise_id, level, status, source, closed_on, deadline, funds_spent);
CREATE INDEX hazards_closed_on ON hazards (county_code, closed_on, id, region_code, sector, campaign, department_id, enterprise_id, level, status, source, found_on, deadline, funds_spent);
CREATE INDEX hazards_found_day ON hazards (found_on, county_code, id, region_code, sector, campaign, department_id, enterprise_id, level, status, source, closed_on, deadline, funds_spent);
CREATE INDEX hazards_closed_day ON hazards (closed_on, county_code, id, region_code, sector, campaign, department_id, enterprise_id, level, status, source, found_on, deadline, funds_spent);
CREATE INDEX hazards_open_at ON hazards (county_code, COALESCE(closed_on, '9999-12-31'), id, region_code, sector, campaign, department_id, enterprise_id, level, status, source, found_on, deadline, reported_on, closed_on);
CREATE INDEX hazards_open_at_day ON hazards (COALESCE(closed_on, '9999-12-31'), county_code, id, region_code, sector, campaign, department_id, enterprise_id, level, status, source, found_on, deadline, reported_on, closed_on);
