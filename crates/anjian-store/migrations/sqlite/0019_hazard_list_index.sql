-- 0019: the hazard ledger's usual filters within a county (status, then sector, then the
-- deadline that decides what is overdue), for the list page's totals: its counts read
-- this index only, never the table.
-- Keep in step with postgres/0019_hazard_list_index.sql.

CREATE INDEX hazards_county_status ON hazards (county_code, status, sector, deadline);
