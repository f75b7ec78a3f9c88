-- Open hazards newest first within a county (issue 19: a province user's to-do lists).
-- The overdue and review lists read a county's open hazards by id, newest first, and stop
-- after a page: the deadline index (hazards_open_due) gives them in deadline order, so a
-- county's page read every overdue entry and sorted them, a province's 1.2 million. The
-- columns after id make the lists' conditions (overdue, awaiting review, scope) index-only.
CREATE INDEX hazards_open_newest ON hazards (county_code, id, deadline, reported_on, status, level, sector, region_code) WHERE status <> 'closed';
