-- 0026: a concealed-accident report carries the key of the accident it reports (the
-- enterprise, or the place where there is none, and the accident's day), set when it is
-- verified, so that two reports of one accident are one matter: only the first received is
-- rewarded (安监总财〔2018〕19号). Reports made before keep ''.
-- Keep in step with the other dialect's 0026_report_accident_key.sql.

ALTER TABLE reports ADD COLUMN accident_key TEXT NOT NULL DEFAULT '';
