-- 0022: the open hazards of a county by deadline, for the to-do lists and the dashboard
-- ("overdue", "due within N days", "major and overdue"). Those ask for few rows among
-- many: without this index the newest-first page walked (county_code, id) and read the
-- table row of every hazard, closed ones included, until enough matched; for "major and
-- overdue" on a large county that was every hazard (0.4 s on a million). Partial, so it
-- holds open hazards only and stays small where most are closed; the queries state the
-- same `status <> 'closed'` that the index's WHERE does, which lets both planners use it.
-- Sector and region are in it too, so that the usual filters of those lists (a sector, a
-- township) are decided from the index: on a county with a large open backlog a page
-- would otherwise read the table row of every open hazard in the deadline range.
-- Keep in step with postgres/0022_hazard_open_due.sql.

CREATE INDEX hazards_open_due ON hazards (county_code, deadline, level, sector, region_code) WHERE status <> 'closed';
