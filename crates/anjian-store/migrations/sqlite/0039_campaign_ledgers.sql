-- 0039: campaign ledgers (专项行动台账), declared as data.
-- campaign_definitions: each loaded version of a county's campaign definition file (TOML,
--   kept as loaded; `anjian_domain::campaign`), one row per (county, code, version).
-- campaign_objects: one row of a campaign's ledger (a building, an outlet, a pond): its
--   object type, the definition version it was recorded under, its place, sector and
--   enterprise (for scope), its title (the title fields joined), its values as JSON, its
--   `facets` ("|key=value|" for every choice and yes/no value, for list filters on both
--   backends) and the day it was recorded.
-- campaign_tallies: what each row contributes to each indicator of the campaign's latest
--   definition (`metric` is `campaign.{code}.{indicator}`), with the day that puts it in a
--   period (and for a stock, the day it stops counting): the campaign metrics sum these.
-- campaign_object_hazards: hazards registered on a row (a house graded C/D).
-- campaign_reports: a responsible unit's report for a period of an object type's cadence
--   (unit_key: a township's region code, or 'department:{id}'), possibly "no change".
-- Attachments may belong to a campaign row: the entity CHECK is widened (table rebuilt).
-- Keep in step with postgres/0039_campaign_ledgers.sql.

CREATE TABLE campaign_definitions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    code TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    loaded_by TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    UNIQUE (county_code, code, version)
);

CREATE TABLE campaign_objects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    campaign TEXT NOT NULL,
    object_type TEXT NOT NULL,
    definition_id INTEGER NOT NULL REFERENCES campaign_definitions (id),
    region_code TEXT NOT NULL REFERENCES regions (code),
    sector TEXT REFERENCES sectors (code),
    enterprise_id INTEGER REFERENCES enterprises (id),
    title TEXT NOT NULL,
    data TEXT NOT NULL,
    facets TEXT NOT NULL DEFAULT '',
    recorded_on TEXT NOT NULL,
    created_by INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX campaign_objects_list ON campaign_objects (county_code, campaign, object_type, id);
CREATE INDEX campaign_objects_region ON campaign_objects (region_code, id);

CREATE TABLE campaign_tallies (
    object_id INTEGER NOT NULL REFERENCES campaign_objects (id),
    metric TEXT NOT NULL,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    sector TEXT,
    enterprise_id INTEGER,
    campaign TEXT NOT NULL,
    day TEXT NOT NULL,
    until_day TEXT,
    amount INTEGER NOT NULL,
    PRIMARY KEY (object_id, metric)
);
CREATE INDEX campaign_tallies_metric ON campaign_tallies (county_code, metric, day);

CREATE TABLE campaign_object_hazards (
    object_id INTEGER NOT NULL REFERENCES campaign_objects (id),
    hazard_id INTEGER NOT NULL REFERENCES hazards (id),
    linked_at TEXT NOT NULL,
    PRIMARY KEY (object_id, hazard_id)
);
CREATE INDEX campaign_object_hazards_hazard ON campaign_object_hazards (hazard_id);

CREATE TABLE campaign_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    campaign TEXT NOT NULL,
    object_type TEXT NOT NULL,
    unit_key TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    no_change BOOLEAN NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    submitted_by TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    UNIQUE (county_code, campaign, object_type, unit_key, period_start)
);

CREATE TABLE attachments_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    entity TEXT NOT NULL CHECK (entity IN ('hazard', 'letter', 'capability', 'campaign_object')),
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
INSERT INTO attachments_new (id, county_code, entity, entity_id, file_name, content_type, size, sha256, data, note, uploaded_by, uploaded_at)
    SELECT id, county_code, entity, entity_id, file_name, content_type, size, sha256, data, note, uploaded_by, uploaded_at FROM attachments;
DROP TABLE attachments;
ALTER TABLE attachments_new RENAME TO attachments;
CREATE INDEX attachments_entity ON attachments (entity, entity_id);
