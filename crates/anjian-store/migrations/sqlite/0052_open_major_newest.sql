-- Open major hazards newest first within a county (issue 19: the home page's overdue major
-- hazards). Read from hazards_open_newest, the list walked a county's open hazards until it
-- had ten major ones among them: about 19 ms of a province user's home page on the 10M
-- store. Major hazards are a few in a hundred; this index holds only them.
CREATE INDEX hazards_open_major_newest ON hazards (county_code, id, deadline, reported_on, status, level, sector, region_code) WHERE status <> 'closed' AND level = 'major';
