-- 0021: the ledger index of 0019 with the id before the deadline. Within one county,
-- status and sector the entries are then in id order, so the list page's newest 51 are the
-- first 51 entries read (before, the page walked (county_code, id) and read the table row
-- of every hazard until 51 matched: thousands per page on a large county). The deadline
-- stays in the index, so the page's total and overdue count still read no table row.
-- Keep in step with sqlite/0021_hazard_list_order.sql.

DROP INDEX hazards_county_status;
CREATE INDEX hazards_county_status ON hazards (county_code, status, sector, id, deadline);
