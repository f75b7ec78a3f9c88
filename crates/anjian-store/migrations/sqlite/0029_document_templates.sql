-- 0029: the county's Word templates of the enforcement documents, and where a document was
-- served.
-- document_templates: one uploaded .docx per document type (documents::catalogue::DOC_TYPES),
--   checked before it is stored (a real .docx, bounded unpacked size, known placeholders);
--   without a row the shipped default (crates/anjian-app/src/documents/templates/) is used.
-- documents.service_place: 送达地点 of the service record (empty: not recorded).
-- Keep in step with the other dialect's 0029_document_templates.sql.

CREATE TABLE document_templates (
    doc_type TEXT PRIMARY KEY,
    file_name TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    uploaded_by INTEGER,
    uploaded_at TEXT NOT NULL
);

ALTER TABLE documents ADD COLUMN service_place TEXT NOT NULL DEFAULT '';
