-- 0006: 挂牌督办 (government listing) and 摘牌销案, with announcements and extensions.
-- Keep in step with postgres/0006_listings.sql.

CREATE TABLE listings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    hazard_id INTEGER REFERENCES hazards (id),
    enterprise_id INTEGER REFERENCES enterprises (id),
    sector TEXT NOT NULL REFERENCES sectors (code),
    title TEXT NOT NULL,
    responsible_unit TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('proposed', 'approved', 'listed', 'delist_requested', 'verified', 'delisted')),
    proposed_on TEXT NOT NULL,
    approved_on TEXT,
    doc_no TEXT NOT NULL DEFAULT '',
    listed_on TEXT,
    listing_announced_on TEXT,
    listing_channel TEXT NOT NULL DEFAULT '',
    deadline TEXT NOT NULL,
    extensions INTEGER NOT NULL DEFAULT 0,
    verified_on TEXT,
    delisted_on TEXT,
    delisting_announced_on TEXT,
    delisting_channel TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX listings_county ON listings (county_code, state);

CREATE TABLE listing_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    listing_id INTEGER NOT NULL REFERENCES listings (id),
    county_code TEXT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX listing_events_listing ON listing_events (listing_id, id);
