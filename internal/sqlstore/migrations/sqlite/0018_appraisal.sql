-- 成效考核: frozen yearly snapshots of an area's registry.
--
-- Snapshots share unchanged rows: a household's rows (the household, all its
-- members, all its income years) are stored once per household version
-- (households.version, bumped by every write to the household or anything
-- under it) and a verdict once per distinct content. A snapshot is the list
-- of (household, version, verdict) it holds. Row versions are only ever
-- inserted, never updated or deleted, so a later edit changes no snapshot.
-- The version tables copy the live tables' columns in the same order (the
-- store copies with SELECT *): a migration that adds a column to households,
-- members, incomes or verdicts adds it to the matching version table too.
CREATE TABLE appraisal_snapshots (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    year        INTEGER NOT NULL,
    area_code   TEXT NOT NULL,
    as_of       DATE NOT NULL,
    households  INTEGER NOT NULL,
    people      INTEGER NOT NULL,
    new_rows    INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX appraisal_snapshots_area ON appraisal_snapshots(area_code, id);

CREATE TABLE appraisal_households (
    id                    INTEGER NOT NULL,
    household_no          TEXT,
    village_code          TEXT NOT NULL,
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
CREATE UNIQUE INDEX appraisal_households_version ON appraisal_households(id, version);

CREATE TABLE appraisal_members (
    hh_version         INTEGER NOT NULL,
    id                 INTEGER NOT NULL,
    household_id       INTEGER NOT NULL,
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
    is_current         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX appraisal_members_version ON appraisal_members(household_id, hh_version);

CREATE TABLE appraisal_incomes (
    hh_version       INTEGER NOT NULL,
    household_id     INTEGER NOT NULL,
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
    declared_net     INTEGER
);
CREATE INDEX appraisal_incomes_version ON appraisal_incomes(household_id, hh_version);

-- vid numbers distinct verdict contents; (household_id, year, computed_at)
-- finds the candidates a new snapshot compares with.
CREATE TABLE appraisal_verdicts (
    vid            INTEGER NOT NULL,
    household_id   INTEGER NOT NULL,
    year           INTEGER NOT NULL,
    village_code   TEXT NOT NULL,
    assessed_on    DATE NOT NULL,
    policy_version TEXT NOT NULL,
    rules_version  TEXT NOT NULL,
    pass           INTEGER NOT NULL,
    problems       INTEGER NOT NULL,
    unknowns       INTEGER NOT NULL,
    income_risk    INTEGER NOT NULL,
    s_food         TEXT NOT NULL,
    s_clothing     TEXT NOT NULL,
    s_education    TEXT NOT NULL,
    s_medical      TEXT NOT NULL,
    s_housing      TEXT NOT NULL,
    s_water        TEXT NOT NULL,
    s_standard     TEXT NOT NULL,
    s_income       TEXT NOT NULL,
    reasons        TEXT NOT NULL,
    signals        TEXT NOT NULL,
    computed_at    TIMESTAMP NOT NULL,
    per_capita     INTEGER
);
CREATE UNIQUE INDEX appraisal_verdicts_vid ON appraisal_verdicts(vid);
CREATE INDEX appraisal_verdicts_key ON appraisal_verdicts(household_id, year, computed_at);

CREATE TABLE appraisal_snapshot_households (
    snapshot_id  INTEGER NOT NULL, -- no foreign key: written with its snapshot, never deleted; a check per row cost seconds
    household_id INTEGER NOT NULL,
    hh_version   INTEGER NOT NULL,
    vid          INTEGER,
    PRIMARY KEY (snapshot_id, household_id)
) WITHOUT ROWID;

CREATE INDEX appraisal_snapshot_households_version ON appraisal_snapshot_households(household_id, hh_version);

-- Copy on write. A snapshot refers to a household version; while the live
-- household is still at that version its rows are read from the live tables.
-- Before anything changes a household whose current version a snapshot
-- refers to (the household row, or any member or income row under it), these
-- triggers copy its rows as they are into the version tables, once per
-- version. Every write path bumps households.version, so the live rows at a
-- version never change; members and incomes are written before the bump in
-- the same transaction, hence triggers on them as well.
CREATE TRIGGER appraisal_keep_households_update BEFORE UPDATE ON households
    WHEN EXISTS (SELECT 1 FROM appraisal_snapshot_households WHERE household_id = OLD.id)
BEGIN
    INSERT INTO appraisal_members SELECT h.version, m.* FROM households h JOIN members m ON m.household_id = h.id
        WHERE h.id = OLD.id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
    INSERT INTO appraisal_incomes SELECT h.version, i.* FROM households h JOIN incomes i ON i.household_id = h.id
        WHERE h.id = OLD.id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
    INSERT INTO appraisal_households SELECT h.* FROM households h
        WHERE h.id = OLD.id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
END;
CREATE TRIGGER appraisal_keep_households_delete BEFORE DELETE ON households
    WHEN EXISTS (SELECT 1 FROM appraisal_snapshot_households WHERE household_id = OLD.id)
BEGIN
    INSERT INTO appraisal_members SELECT h.version, m.* FROM households h JOIN members m ON m.household_id = h.id
        WHERE h.id = OLD.id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
    INSERT INTO appraisal_incomes SELECT h.version, i.* FROM households h JOIN incomes i ON i.household_id = h.id
        WHERE h.id = OLD.id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
    INSERT INTO appraisal_households SELECT h.* FROM households h
        WHERE h.id = OLD.id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
END;
CREATE TRIGGER appraisal_keep_members_insert BEFORE INSERT ON members
    WHEN EXISTS (SELECT 1 FROM appraisal_snapshot_households WHERE household_id = NEW.household_id)
BEGIN
    INSERT INTO appraisal_members SELECT h.version, m.* FROM households h JOIN members m ON m.household_id = h.id
        WHERE h.id = NEW.household_id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
    INSERT INTO appraisal_incomes SELECT h.version, i.* FROM households h JOIN incomes i ON i.household_id = h.id
        WHERE h.id = NEW.household_id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
    INSERT INTO appraisal_households SELECT h.* FROM households h
        WHERE h.id = NEW.household_id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
END;
CREATE TRIGGER appraisal_keep_members_update BEFORE UPDATE ON members
    WHEN EXISTS (SELECT 1 FROM appraisal_snapshot_households WHERE household_id = OLD.household_id)
BEGIN
    INSERT INTO appraisal_members SELECT h.version, m.* FROM households h JOIN members m ON m.household_id = h.id
        WHERE h.id = OLD.household_id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
    INSERT INTO appraisal_incomes SELECT h.version, i.* FROM households h JOIN incomes i ON i.household_id = h.id
        WHERE h.id = OLD.household_id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
    INSERT INTO appraisal_households SELECT h.* FROM households h
        WHERE h.id = OLD.household_id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
END;
CREATE TRIGGER appraisal_keep_members_delete BEFORE DELETE ON members
    WHEN EXISTS (SELECT 1 FROM appraisal_snapshot_households WHERE household_id = OLD.household_id)
BEGIN
    INSERT INTO appraisal_members SELECT h.version, m.* FROM households h JOIN members m ON m.household_id = h.id
        WHERE h.id = OLD.household_id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
    INSERT INTO appraisal_incomes SELECT h.version, i.* FROM households h JOIN incomes i ON i.household_id = h.id
        WHERE h.id = OLD.household_id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
    INSERT INTO appraisal_households SELECT h.* FROM households h
        WHERE h.id = OLD.household_id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
END;
CREATE TRIGGER appraisal_keep_incomes_insert BEFORE INSERT ON incomes
    WHEN EXISTS (SELECT 1 FROM appraisal_snapshot_households WHERE household_id = NEW.household_id)
BEGIN
    INSERT INTO appraisal_members SELECT h.version, m.* FROM households h JOIN members m ON m.household_id = h.id
        WHERE h.id = NEW.household_id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
    INSERT INTO appraisal_incomes SELECT h.version, i.* FROM households h JOIN incomes i ON i.household_id = h.id
        WHERE h.id = NEW.household_id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
    INSERT INTO appraisal_households SELECT h.* FROM households h
        WHERE h.id = NEW.household_id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
END;
CREATE TRIGGER appraisal_keep_incomes_update BEFORE UPDATE ON incomes
    WHEN EXISTS (SELECT 1 FROM appraisal_snapshot_households WHERE household_id = OLD.household_id)
BEGIN
    INSERT INTO appraisal_members SELECT h.version, m.* FROM households h JOIN members m ON m.household_id = h.id
        WHERE h.id = OLD.household_id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
    INSERT INTO appraisal_incomes SELECT h.version, i.* FROM households h JOIN incomes i ON i.household_id = h.id
        WHERE h.id = OLD.household_id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
    INSERT INTO appraisal_households SELECT h.* FROM households h
        WHERE h.id = OLD.household_id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
END;
CREATE TRIGGER appraisal_keep_incomes_delete BEFORE DELETE ON incomes
    WHEN EXISTS (SELECT 1 FROM appraisal_snapshot_households WHERE household_id = OLD.household_id)
BEGIN
    INSERT INTO appraisal_members SELECT h.version, m.* FROM households h JOIN members m ON m.household_id = h.id
        WHERE h.id = OLD.household_id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
    INSERT INTO appraisal_incomes SELECT h.version, i.* FROM households h JOIN incomes i ON i.household_id = h.id
        WHERE h.id = OLD.household_id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
    INSERT INTO appraisal_households SELECT h.* FROM households h
        WHERE h.id = OLD.household_id AND EXISTS (SELECT 1 FROM appraisal_snapshot_households s WHERE s.household_id = h.id AND s.hh_version = h.version)
        AND NOT EXISTS (SELECT 1 FROM appraisal_households a WHERE a.id = h.id AND a.version = h.version);
END;

-- Sampling rounds (抽查轮次): the stated rule and seed, the households drawn
-- (never drawn again in a later round) and the result entered for each.
-- kind is what the household was when drawn: ex_poor (已脱贫), monitored
-- (监测户, not ex_poor) or other.
CREATE TABLE appraisal_rounds (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    area_code   TEXT NOT NULL,
    year        INTEGER NOT NULL,
    villages    INTEGER NOT NULL,
    registered  INTEGER NOT NULL,
    others      INTEGER NOT NULL,
    seed        INTEGER NOT NULL,
    shortfalls  TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX appraisal_rounds_area ON appraisal_rounds(area_code, id);

CREATE TABLE appraisal_round_households (
    round_id        INTEGER NOT NULL REFERENCES appraisal_rounds(id),
    household_id    INTEGER NOT NULL REFERENCES households(id),
    village_code    TEXT NOT NULL,
    kind            TEXT NOT NULL,
    recorded        INTEGER NOT NULL DEFAULT FALSE,
    wrong_inclusion INTEGER NOT NULL DEFAULT FALSE,
    wrong_exit      INTEGER NOT NULL DEFAULT FALSE,
    missed          INTEGER NOT NULL DEFAULT FALSE,
    problem         INTEGER NOT NULL DEFAULT FALSE,
    note            TEXT NOT NULL DEFAULT '',
    finding_id      INTEGER REFERENCES ledger_findings(id),
    recorded_by     TEXT NOT NULL DEFAULT '',
    recorded_at     TIMESTAMP,
    PRIMARY KEY (round_id, household_id)
);
CREATE UNIQUE INDEX appraisal_round_households_once ON appraisal_round_households(household_id);

-- Rate thresholds as policy parameters by area prefix and year ('' is
-- everywhere); appraisal.ResolveThresholds picks the most specific.
CREATE TABLE appraisal_thresholds (
    area       TEXT NOT NULL,
    year       INTEGER NOT NULL,
    rate       TEXT NOT NULL,
    max_value  REAL,
    min_value  REAL,
    source     TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (area, year, rate)
);
