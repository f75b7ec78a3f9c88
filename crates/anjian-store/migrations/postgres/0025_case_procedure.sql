-- 0025: what the penalty procedure records beyond its steps (行政处罚法 2021).
-- officers: the enforcement officers on the case, a JSON array of names; at least two
--   (art. 42). Cases made before keep [] and are not re-checked.
-- complex, public_interest: 法制审核 is required when the case is complex or involves a major
--   public interest (art. 58(1), (3)); a complex case is also discussed collectively (art. 57).
-- rights_waived: the party waived 陈述申辩 and the hearing ('waived'), withdrew its hearing
--   request ('withdrawn'), or failed to appear at the hearing ('absent', art. 64(8)).
-- hearing_notified_on, hearing_on: the hearing notice went out at least 7 working days before
--   the hearing (arts. 64(2), 85).
-- pauses: periods that do not count, a JSON array of {kind, from, to, note}: hearings,
--   鉴定/检测 and 公告 suspend the decision period where the agency's rule says so;
--   行政复议/行政诉讼 (art. 73) and an approved deferral or instalment plan (art. 66) stop the
--   late-payment surcharge.
-- overturned_on, overturn: the decision was changed, revoked, confirmed unlawful or void; its
--   publicity is withdrawn within 3 working days (art. 48).
-- Keep in step with the other dialect's 0025_case_procedure.sql.

ALTER TABLE cases ADD COLUMN officers TEXT NOT NULL DEFAULT '[]';
ALTER TABLE cases ADD COLUMN complex BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE cases ADD COLUMN public_interest BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE cases ADD COLUMN rights_waived TEXT NOT NULL DEFAULT '' CHECK (rights_waived IN ('', 'waived', 'withdrawn', 'absent'));
ALTER TABLE cases ADD COLUMN hearing_notified_on TEXT;
ALTER TABLE cases ADD COLUMN hearing_on TEXT;
ALTER TABLE cases ADD COLUMN pauses TEXT NOT NULL DEFAULT '[]';
ALTER TABLE cases ADD COLUMN overturned_on TEXT;
ALTER TABLE cases ADD COLUMN overturn TEXT NOT NULL DEFAULT '' CHECK (overturn IN ('', 'changed', 'revoked', 'unlawful', 'void'));
