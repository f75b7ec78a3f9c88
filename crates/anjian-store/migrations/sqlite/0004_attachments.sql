-- 0004: evidence files (photos, documents), stored in the database so that every
-- instance sees them; content-addressed by SHA-256.
-- Keep in step with postgres/0004_attachments.sql.

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    entity TEXT NOT NULL CHECK (entity IN ('hazard')),
    entity_id INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    uploaded_by INTEGER,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX attachments_entity ON attachments (entity, entity_id);
