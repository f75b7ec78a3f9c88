-- 0045: the one map (一张图).
-- region_boundaries: a township's boundary as GeoJSON geometry text (MultiPolygon, WGS-84
--   degrees), the full one as imported and a simplified one for display, its box in
--   micro-degrees; county_code the township's county (a county's import replaces all of its
--   townships' boundaries at once); imported_by the account (NULL: the system, e.g. the demo).
-- Coordinates (micro-degrees, WGS-84, both or neither) on enterprises, hazards and accidents,
--   like emergency_resources' since 0043.
-- Keep in step with the other backend's 0045_map.sql.

CREATE TABLE region_boundaries (
    region_code TEXT PRIMARY KEY REFERENCES regions (code),
    county_code TEXT NOT NULL,
    geometry TEXT NOT NULL,
    display_geometry TEXT NOT NULL,
    min_lng_micro BIGINT NOT NULL,
    min_lat_micro BIGINT NOT NULL,
    max_lng_micro BIGINT NOT NULL,
    max_lat_micro BIGINT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by BIGINT,
    CHECK (min_lng_micro <= max_lng_micro AND min_lat_micro <= max_lat_micro)
);
CREATE INDEX region_boundaries_county ON region_boundaries (county_code, region_code);

ALTER TABLE enterprises ADD COLUMN lng_micro BIGINT, ADD COLUMN lat_micro BIGINT,
    ADD CONSTRAINT enterprises_point_check CHECK ((lng_micro IS NULL) = (lat_micro IS NULL));
ALTER TABLE hazards ADD COLUMN lng_micro BIGINT, ADD COLUMN lat_micro BIGINT,
    ADD CONSTRAINT hazards_point_check CHECK ((lng_micro IS NULL) = (lat_micro IS NULL));
ALTER TABLE accidents ADD COLUMN lng_micro BIGINT, ADD COLUMN lat_micro BIGINT,
    ADD CONSTRAINT accidents_point_check CHECK ((lng_micro IS NULL) = (lat_micro IS NULL));
