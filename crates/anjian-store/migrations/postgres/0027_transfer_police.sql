-- 0027: what a 行刑衔接 transfer records after it leaves the agency (国务院令第310号 as
-- revised 2020, arts. 6, 8, 9; 应急〔2019〕54号).
-- persons: the natural persons suspected and transferred ("移送司法机关处理N人"), 0 when only
--   a unit is suspected. Rows made before count one person each, as the figure did.
-- copied_to, copied_on: the 移送书 is copied to the procuratorate at the same level.
-- accepted_on: the day the police accepted the case (receipt on the 移送书); the police decide
--   on 立案 within 3 days of it, 7 where the leads must be verified ('verify') and 30 for a
--   major, difficult or complex case approved by a police head ('complex'); police_limit_reason
--   says why.
-- reconsider_on, reconsider_decided_on: after 不予立案 the agency may ask for reconsideration
--   within 3 days of the notice; the police decide within 3 days of receiving it.
-- supervision_on, procuratorate, supervision_decided_on: the agency asked the procuratorate to
--   supervise the police's decision (立案监督) and when the outcome was known.
-- New states 'reconsidering' and 'supervising', and documents.entity admits 'transfer'
-- (涉嫌犯罪案件移送书).
-- Keep in step with the other dialect's 0027_transfer_police.sql.

ALTER TABLE transfers ADD COLUMN persons BIGINT NOT NULL DEFAULT 1 CHECK (persons >= 0);
ALTER TABLE transfers ADD COLUMN copied_to TEXT NOT NULL DEFAULT '';
ALTER TABLE transfers ADD COLUMN copied_on TEXT;
ALTER TABLE transfers ADD COLUMN accepted_on TEXT;
ALTER TABLE transfers ADD COLUMN police_limit TEXT NOT NULL DEFAULT '' CHECK (police_limit IN ('', 'verify', 'complex'));
ALTER TABLE transfers ADD COLUMN police_limit_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE transfers ADD COLUMN reconsider_on TEXT;
ALTER TABLE transfers ADD COLUMN reconsider_decided_on TEXT;
ALTER TABLE transfers ADD COLUMN supervision_on TEXT;
ALTER TABLE transfers ADD COLUMN procuratorate TEXT NOT NULL DEFAULT '';
ALTER TABLE transfers ADD COLUMN supervision_decided_on TEXT;

ALTER TABLE transfers DROP CONSTRAINT transfers_status_check;
ALTER TABLE transfers ADD CONSTRAINT transfers_status_check CHECK (status IN ('reported', 'rejected', 'approved', 'transferred', 'filed', 'not_filed', 'reconsidering', 'supervising'));
ALTER TABLE documents DROP CONSTRAINT documents_entity_check;
ALTER TABLE documents ADD CONSTRAINT documents_entity_check CHECK (entity IN ('inspection', 'hazard', 'case', 'transfer'));
