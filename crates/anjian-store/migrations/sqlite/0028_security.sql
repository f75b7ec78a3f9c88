-- 0028: what a 等保 2.0 level-3 assessment asks of accounts and sessions.
-- users.must_change_password: the user must set a new password before anything else (accounts
--   made by an administrator or `anjian user add`; demo accounts are not).
-- users.password_changed_at: when the password was last set (NULL: before this migration; the
--   account's creation time counts then), for the expiry setting.
-- password_history: the hashes of the passwords a user has had (same Argon2 scheme as
--   users.password_hash), so the last N cannot be chosen again.
-- sessions.last_seen_at: when the session was last used (kept to the minute), for the idle
--   timeout; NULL means never since login (created_at counts).
-- Keep in step with the other dialect's 0028_security.sql.

ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN password_changed_at TEXT;
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;

CREATE TABLE password_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL,
    set_at TEXT NOT NULL
);
CREATE INDEX password_history_user ON password_history (user_id, id);
