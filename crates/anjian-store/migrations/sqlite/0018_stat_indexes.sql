-- 0018: date indexes for statistics across counties (a province's year): the
-- (county_code, date) indexes of 0017 serve one county, these serve many.
-- Keep in step with postgres/0018_stat_indexes.sql.

CREATE INDEX hazards_found_day ON hazards (found_on);
CREATE INDEX hazards_closed_day ON hazards (closed_on);
