-- Open major hazards newest first over every county (issue 19: a province user's home page,
-- its ten newest overdue major hazards). Led by the county (0052), the list read ten from
-- each of a province's hundred counties and sorted them: 4-5 ms of a 7 ms home page on the
-- 10M store. Led by the id, it walks the open major hazards newest first and stops at the
-- tenth in scope. A county's list walks it too (about one in a hundred is the county's);
-- this index replaces 0052's, so a write keeps the same number of indexes.
DROP INDEX hazards_open_major_newest;
CREATE INDEX hazards_open_major ON hazards (id, county_code, deadline, reported_on, status, level, sector, region_code) WHERE status <> 'closed' AND level = 'major';
