-- 0010: 双随机 draws (commit, reveal, tasks, publicity) and inspector conflicts (回避).
-- Keep in step with postgres/0010_draws.sql.

CREATE TABLE draws (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    department_id INTEGER REFERENCES departments (id),
    title TEXT NOT NULL,
    criteria TEXT NOT NULL,
    inputs TEXT NOT NULL,
    commitment TEXT NOT NULL,
    secret TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('committed', 'drawn', 'published')),
    entropy TEXT,
    result TEXT,
    drawn_on TEXT,
    publish_due TEXT,
    published_on TEXT,
    published_where TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX draws_region ON draws (region_code, id);

CREATE TABLE draw_tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    draw_id INTEGER NOT NULL REFERENCES draws (id),
    stratum TEXT NOT NULL,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    region_code TEXT NOT NULL,
    inspectors TEXT NOT NULL,
    inspection_id INTEGER REFERENCES inspections (id),
    UNIQUE (draw_id, enterprise_id)
);

CREATE TABLE inspector_conflicts (
    user_id INTEGER NOT NULL REFERENCES users (id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, enterprise_id)
);
