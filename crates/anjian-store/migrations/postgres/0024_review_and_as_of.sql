-- 0024: what is overdue, and figures as at a period's end.
--
-- 1. A hazard reported done by its deadline (status `reported`, awaiting 复查/验收) is not
--    逾期未整改: it waits on the regulator, whose review has its own limit (10 working days
--    from the report, 安全生产执法程序规定, 安监总政法〔2016〕72号). The hazard keeps the day
--    of that report in `reported_on` (set on entering `reported`, kept while it waits and
--    once it is closed from there, cleared when the review sends it back). Backfilled from
--    the timelines: the last entry into `reported`, as a China Standard Time day.
-- 2. The overdue lists decide that from their indexes: `reported_on` joins the open-by-
--    deadline index (0022) and the ledger index (0021).
-- 3. "截至期末仍有逾期未整改隐患" counts the hazards open at the period's end, whenever
--    found: those still open or closed after it. COALESCE(closed_on, '9999-12-31') > end
--    finds them in one range of these indexes (a county's and a province's), which carry
--    every column the figure reads.
-- 4. Registry figures ("全市N家烟花爆竹生产企业") count the enterprises on the register at
--    the period's end: registered by then and not closed before. The enterprise keeps the
--    day it was registered (backfilled from created_at) and the day it was closed
--    (backfilled from its last update for those already closed).
-- Keep in step with sqlite/0024_review_and_as_of.sql.

ALTER TABLE hazards ADD COLUMN reported_on TEXT;
UPDATE hazards SET reported_on = (
    SELECT MAX(CASE WHEN e.at ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}' THEN to_char(CAST(substr(e.at, 1, 19) AS timestamp) + INTERVAL '8 hours', 'YYYY-MM-DD') ELSE substr(e.at, 1, 10) END) FROM hazard_events e
     WHERE e.hazard_id = hazards.id AND e.to_status = 'reported'
       AND (e.from_status IS NULL OR e.from_status <> 'reported'))
 WHERE status = 'reported'
    OR (status = 'closed' AND EXISTS (SELECT 1 FROM hazard_events c
         WHERE c.hazard_id = hazards.id AND c.to_status = 'closed' AND c.from_status = 'reported'));
UPDATE hazards SET reported_on = found_on WHERE status = 'reported' AND reported_on IS NULL;

DROP INDEX hazards_open_due;
CREATE INDEX hazards_open_due ON hazards (county_code, deadline, level, sector, region_code, reported_on) WHERE status <> 'closed';
DROP INDEX hazards_county_status;
CREATE INDEX hazards_county_status ON hazards (county_code, status, sector, id, deadline, reported_on);
CREATE INDEX hazards_open_at ON hazards (county_code, COALESCE(closed_on, '9999-12-31'), region_code, sector, campaign, department_id, enterprise_id, level, status, source, found_on, deadline, reported_on, closed_on);
CREATE INDEX hazards_open_at_day ON hazards (COALESCE(closed_on, '9999-12-31'), county_code, region_code, sector, campaign, department_id, enterprise_id, level, status, source, found_on, deadline, reported_on, closed_on);

ALTER TABLE enterprises ADD COLUMN registered_on TEXT;
ALTER TABLE enterprises ADD COLUMN closed_on TEXT;
UPDATE enterprises SET registered_on = CASE WHEN created_at ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}' THEN to_char(CAST(substr(created_at, 1, 19) AS timestamp) + INTERVAL '8 hours', 'YYYY-MM-DD') ELSE substr(created_at, 1, 10) END;
UPDATE enterprises SET closed_on = CASE WHEN updated_at ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}' THEN to_char(CAST(substr(updated_at, 1, 19) AS timestamp) + INTERVAL '8 hours', 'YYYY-MM-DD') ELSE substr(updated_at, 1, 10) END WHERE status = 'closed';
