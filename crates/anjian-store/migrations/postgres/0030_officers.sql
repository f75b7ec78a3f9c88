-- 0030: the roster of law-enforcement officers (执法人员) and the officers of an inspection.
-- users.cert_no: the officer's certificate number (执法证号), NULL for staff without one;
--   unique, so one certificate is never on two accounts.
-- users.cert_valid_until: the certificate's last valid day (YYYY-MM-DD); set with cert_no.
-- inspections.officers: the certified officers of the inspection as they were that day,
--   a JSON array of {id, name, cert_no, cert_valid_until} (court records show the number
--   used then); '[]' for inspections recorded before, whose people are in inspectors.
-- Keep in step with the other dialect's 0030_officers.sql.

ALTER TABLE users ADD COLUMN cert_no TEXT;
ALTER TABLE users ADD COLUMN cert_valid_until TEXT;
CREATE UNIQUE INDEX users_cert_no ON users (cert_no);

ALTER TABLE inspections ADD COLUMN officers TEXT NOT NULL DEFAULT '[]';
