-- Registry foundation: regions in use, households, members, income years, audit.
-- SQLite: timestamps are TIMESTAMP text (UTC), dates DATE text, booleans INTEGER 0/1.
CREATE TABLE regions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    full_name   TEXT NOT NULL,
    level       TEXT NOT NULL,
    parent_code TEXT,
    vintage     TEXT NOT NULL
);

CREATE TABLE households (
    id                    INTEGER PRIMARY KEY,
    household_no          TEXT,
    village_code          TEXT NOT NULL REFERENCES regions(code),
    natural_village       TEXT NOT NULL DEFAULT '',
    address               TEXT NOT NULL DEFAULT '',
    phone                 TEXT NOT NULL DEFAULT '',
    household_type        TEXT NOT NULL,
    poverty_attr          TEXT NOT NULL DEFAULT '',
    monitor_type          TEXT NOT NULL DEFAULT '',
    risks                 TEXT NOT NULL DEFAULT '',
    identified_on         DATE,
    exited_on             DATE,
    monitor_identified_on DATE,
    risk_eliminated_on    DATE,
    elimination_mode      TEXT NOT NULL DEFAULT '',
    land_cultivated       REAL NOT NULL DEFAULT 0,
    land_forest           REAL NOT NULL DEFAULT 0,
    land_returned         REAL NOT NULL DEFAULT 0,
    land_orchard          REAL NOT NULL DEFAULT 0,
    land_pasture          REAL NOT NULL DEFAULT 0,
    land_water            REAL NOT NULL DEFAULT 0,
    housing_area          REAL,
    housing_grade         TEXT NOT NULL DEFAULT '',
    housing_relocated     INTEGER NOT NULL DEFAULT 0,
    housing_other_safe    INTEGER NOT NULL DEFAULT 0,
    housing_institutional INTEGER NOT NULL DEFAULT 0,
    water_supply          TEXT NOT NULL DEFAULT '',
    water_lpd             REAL,
    water_scarce          INTEGER NOT NULL DEFAULT 0,
    water_quality_ok      INTEGER,
    water_tap             INTEGER,
    water_fetch_minutes   REAL,
    water_fetch_distance  REAL,
    water_fetch_vertical  REAL,
    water_days_short      INTEGER,
    electricity           INTEGER NOT NULL DEFAULT 0,
    radio_tv              INTEGER NOT NULL DEFAULT 0,
    broadband             INTEGER NOT NULL DEFAULT 0,
    road_type             TEXT NOT NULL DEFAULT '',
    road_distance         REAL,
    food_secure           INTEGER,
    clothing_secure       INTEGER,
    basics_note           TEXT NOT NULL DEFAULT '',
    basics_checked_on     DATE,
    head_name             TEXT NOT NULL DEFAULT '',
    size                  INTEGER NOT NULL DEFAULT 0,
    version               INTEGER NOT NULL DEFAULT 1,
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL,
    deleted_at            TIMESTAMP,
    delete_reason         TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX households_no_live ON households(household_no)
    WHERE deleted_at IS NULL AND household_no IS NOT NULL;
CREATE INDEX households_village_live ON households(village_code, id) WHERE deleted_at IS NULL;
CREATE INDEX households_village_head ON households(village_code, head_name, id) WHERE deleted_at IS NULL;

CREATE TABLE members (
    id                 INTEGER PRIMARY KEY,
    household_id       INTEGER NOT NULL REFERENCES households(id),
    person_no          TEXT NOT NULL DEFAULT '',
    name               TEXT NOT NULL,
    id_number          TEXT NOT NULL,
    relation           TEXT NOT NULL,
    sex                TEXT NOT NULL,
    birth_date         DATE NOT NULL,
    ethnicity          TEXT NOT NULL DEFAULT '',
    education          TEXT NOT NULL DEFAULT '',
    school_status      TEXT NOT NULL DEFAULT '',
    dropout_exemption  TEXT NOT NULL DEFAULT '',
    health             TEXT NOT NULL DEFAULT '',
    disability_grade   INTEGER NOT NULL DEFAULT 0,
    labour             TEXT NOT NULL DEFAULT '',
    migrant_months     INTEGER NOT NULL DEFAULT 0,
    migrant_place      TEXT NOT NULL DEFAULT '',
    medical_insurance  TEXT NOT NULL DEFAULT '',
    critical_illness   INTEGER NOT NULL DEFAULT 0,
    pension_insurance  TEXT NOT NULL DEFAULT '',
    dibao              INTEGER NOT NULL DEFAULT 0,
    tekun              INTEGER NOT NULL DEFAULT 0,
    public_welfare_job INTEGER NOT NULL DEFAULT 0,
    relocated          INTEGER NOT NULL DEFAULT 0,
    phone              TEXT NOT NULL DEFAULT '',
    joined_on          DATE,
    join_reason        TEXT NOT NULL DEFAULT '',
    left_on            DATE,
    leave_reason       TEXT NOT NULL DEFAULT '',
    leave_note         TEXT NOT NULL DEFAULT '',
    -- is_current: not left and the household is not deleted. A person is in at
    -- most one current household, enforced by members_id_number_current.
    is_current         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX members_household ON members(household_id);
CREATE UNIQUE INDEX members_id_number_current ON members(id_number) WHERE is_current;
CREATE INDEX members_id_number ON members(id_number);

CREATE TABLE incomes (
    household_id     INTEGER NOT NULL REFERENCES households(id),
    year             INTEGER NOT NULL,
    wage             INTEGER NOT NULL DEFAULT 0,
    business         INTEGER NOT NULL DEFAULT 0,
    property         INTEGER NOT NULL DEFAULT 0,
    transfer         INTEGER NOT NULL DEFAULT 0,
    business_expense INTEGER NOT NULL DEFAULT 0,
    claims           INTEGER NOT NULL DEFAULT 0,
    out_of_pocket    INTEGER NOT NULL DEFAULT 0,
    items            TEXT NOT NULL DEFAULT '[]',
    updated_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (household_id, year)
);

CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           TIMESTAMP NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    household_id INTEGER,
    before_json  TEXT,
    after_json   TEXT,
    -- Tamper evidence: hash = SHA-256 over prev_hash and this entry's content;
    -- prev_hash is the hash of the entry before it (by id).
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_household ON audit_log(household_id, id);
