-- 0047: an alarm's present level kept on the alarm (current_level), beside its highest
--   (level): lowered alarms keep their highest level for acknowledgement and the figures,
--   while the ingestion judges from the present one. NULL once the alarm is cleared.
--   Filled for the alarms already stored from their last opened/raised/lowered event.
-- Keep in step with the other backend's 0047_alarm_current_level.sql.

ALTER TABLE monitoring_alarms ADD COLUMN current_level TEXT CHECK (current_level IN ('blue', 'yellow', 'orange', 'red'));
UPDATE monitoring_alarms SET current_level = (
    SELECT e.level FROM monitoring_alarm_events e
    WHERE e.alarm_id = monitoring_alarms.id AND e.kind IN ('opened', 'raised', 'lowered')
    ORDER BY e.id DESC LIMIT 1
) WHERE active_key IS NOT NULL;
