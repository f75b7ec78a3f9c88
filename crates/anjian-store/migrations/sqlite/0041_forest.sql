-- 0041: forest-fire prevention (森林防灭火).
-- forest_seasons: a county's fire season (防火期), starts_on..ends_on inclusive.
-- forest_farms: the county's state forest farms and farms (国有林场、国有农场), at their place.
-- forest_patches: hills and plots (山头地块) with their area (hundredths of 亩), main species
--   and owning farm, at the village (or, for a farm's hill, the township) they lie in.
-- forest_checkpoints: a season's fire checkpoints (防火检查站) at their place.
-- forest_wardens: the season's chain of responsible persons: a level (county, township,
--   village, hill, checkpoint), the level's region (patch_id / checkpoint_id for a hill or a
--   checkpoint), the role (林长, 监管员, 网格员, 护林员, 值守人员), name, post and phone.
-- forest_checkpoint_logs: a checkpoint's register of a day: people and vehicles registered,
--   fire sources collected, who was on duty.
-- forest_patrols: a patrol (who, where, the day and times, the route, what was found).
-- forest_duties: the season's daily duty roster of the county or a township (带班领导, 值班员).
-- forest_equipment: equipment bought or donated (kind, model, quantity, cost in 分, donor).
-- forest_handovers: equipment handed to a township (township_code) or a farm (farm_id),
--   exactly one; region_code is the recipient's place (for scope).
-- Every record is a regulator's own: visible in its region (scope_sql::regulator).
-- Keep in step with the other backend's 0041_forest.sql.

CREATE TABLE forest_seasons (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    name TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (ends_on > starts_on),
    UNIQUE (county_code, starts_on)
);

CREATE TABLE forest_farms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('forest_farm', 'farm')),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (county_code, name)
);

CREATE TABLE forest_patches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    name TEXT NOT NULL,
    area_centi_mu INTEGER NOT NULL DEFAULT 0 CHECK (area_centi_mu >= 0),
    species TEXT NOT NULL DEFAULT '',
    farm_id INTEGER REFERENCES forest_farms (id),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (region_code, name)
);
CREATE INDEX forest_patches_region ON forest_patches (county_code, region_code);

CREATE TABLE forest_checkpoints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    season_id INTEGER NOT NULL REFERENCES forest_seasons (id),
    region_code TEXT NOT NULL,
    name TEXT NOT NULL,
    location TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (season_id, name)
);

CREATE TABLE forest_wardens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    season_id INTEGER NOT NULL REFERENCES forest_seasons (id),
    level TEXT NOT NULL CHECK (level IN ('county', 'township', 'village', 'patch', 'checkpoint')),
    region_code TEXT NOT NULL,
    patch_id INTEGER REFERENCES forest_patches (id),
    checkpoint_id INTEGER REFERENCES forest_checkpoints (id),
    role TEXT NOT NULL CHECK (role IN ('forest_chief', 'supervisor', 'grid', 'ranger', 'checkpoint_staff')),
    name TEXT NOT NULL,
    post TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK ((level = 'patch') = (patch_id IS NOT NULL)),
    CHECK ((level = 'checkpoint') = (checkpoint_id IS NOT NULL))
);
CREATE INDEX forest_wardens_season ON forest_wardens (season_id, region_code);

CREATE TABLE forest_checkpoint_logs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    checkpoint_id INTEGER NOT NULL REFERENCES forest_checkpoints (id),
    region_code TEXT NOT NULL,
    logged_on TEXT NOT NULL,
    people INTEGER NOT NULL DEFAULT 0 CHECK (people >= 0),
    vehicles INTEGER NOT NULL DEFAULT 0 CHECK (vehicles >= 0),
    fire_sources INTEGER NOT NULL DEFAULT 0 CHECK (fire_sources >= 0),
    on_duty TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX forest_checkpoint_logs_day ON forest_checkpoint_logs (county_code, logged_on);
CREATE INDEX forest_checkpoint_logs_checkpoint ON forest_checkpoint_logs (checkpoint_id, logged_on);

CREATE TABLE forest_patrols (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    patch_id INTEGER REFERENCES forest_patches (id),
    patroller TEXT NOT NULL,
    patrolled_on TEXT NOT NULL,
    from_time TEXT NOT NULL,
    to_time TEXT NOT NULL,
    route TEXT NOT NULL DEFAULT '',
    finding TEXT NOT NULL CHECK (finding IN ('none', 'illegal_fire', 'hazard', 'other')),
    details TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX forest_patrols_day ON forest_patrols (county_code, patrolled_on);
CREATE INDEX forest_patrols_region ON forest_patrols (region_code, patrolled_on);

CREATE TABLE forest_duties (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    duty_on TEXT NOT NULL,
    leader TEXT NOT NULL,
    leader_phone TEXT NOT NULL,
    officer TEXT NOT NULL,
    officer_phone TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (region_code, duty_on)
);
CREATE INDEX forest_duties_day ON forest_duties (county_code, duty_on);

CREATE TABLE forest_equipment (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('drone', 'high_lift_pump', 'pump', 'extinguisher', 'other')),
    model TEXT NOT NULL DEFAULT '',
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    acquisition TEXT NOT NULL CHECK (acquisition IN ('purchased', 'donated')),
    donor TEXT NOT NULL DEFAULT '',
    cost_fen INTEGER NOT NULL DEFAULT 0 CHECK (cost_fen >= 0),
    acquired_on TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX forest_equipment_day ON forest_equipment (county_code, acquired_on);

CREATE TABLE forest_handovers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    equipment_id INTEGER NOT NULL REFERENCES forest_equipment (id),
    region_code TEXT NOT NULL,
    township_code TEXT,
    farm_id INTEGER REFERENCES forest_farms (id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    handed_on TEXT NOT NULL,
    received_by TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    CHECK ((township_code IS NULL) <> (farm_id IS NULL))
);
CREATE INDEX forest_handovers_equipment ON forest_handovers (equipment_id);
CREATE INDEX forest_handovers_day ON forest_handovers (county_code, handed_on);
