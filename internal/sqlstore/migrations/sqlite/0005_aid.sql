-- Aid forces (帮扶力量): aid groups and their units, cadres and their postings,
-- household pairings (结对帮扶), visits with photos, attendance (考勤, 请销假),
-- rotations with their handover lists, and the aid settings per area.
-- SQLite: timestamps are TIMESTAMP text (UTC), dates DATE text, booleans INTEGER 0/1.
CREATE TABLE aid_settings (
    area       TEXT NOT NULL,
    key        TEXT NOT NULL,
    value      INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (area, key)
);

CREATE TABLE aid_groups (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    area_code  TEXT NOT NULL,
    lead_unit  TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE aid_units (
    id           INTEGER PRIMARY KEY,
    group_id     INTEGER NOT NULL REFERENCES aid_groups(id),
    name         TEXT NOT NULL,
    is_lead      INTEGER NOT NULL DEFAULT 0,
    village_code TEXT,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (group_id, name)
);

CREATE TABLE cadres (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    id_number  TEXT NOT NULL,
    phone      TEXT NOT NULL DEFAULT '',
    unit_id    INTEGER REFERENCES aid_units(id),
    unit_name  TEXT NOT NULL DEFAULT '',
    post       TEXT NOT NULL DEFAULT '',
    rank       TEXT NOT NULL DEFAULT '',
    political  TEXT NOT NULL DEFAULT '',
    area_code  TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX cadres_id_number ON cadres(id_number);
CREATE INDEX cadres_area ON cadres(area_code);

CREATE TABLE postings (
    id             INTEGER PRIMARY KEY,
    cadre_id       INTEGER NOT NULL REFERENCES cadres(id),
    role           TEXT NOT NULL,
    area_code      TEXT NOT NULL,
    group_id       INTEGER REFERENCES aid_groups(id),
    started_on     DATE NOT NULL,
    planned_end_on DATE NOT NULL,
    ended_on       DATE,
    end_reason     TEXT NOT NULL DEFAULT '',
    rotation_id    INTEGER,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX postings_cadre ON postings(cadre_id);
CREATE INDEX postings_area_active ON postings(area_code) WHERE ended_on IS NULL;

-- A household has at most one active helper (pairings_one_active); that it
-- has at least one when it needs one is reported, not enforced.
CREATE TABLE pairings (
    id           INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES households(id),
    cadre_id     INTEGER NOT NULL REFERENCES cadres(id),
    village_code TEXT NOT NULL,
    started_on   DATE NOT NULL,
    ended_on     DATE,
    end_reason   TEXT NOT NULL DEFAULT '',
    rotation_id  INTEGER,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX pairings_one_active ON pairings(household_id) WHERE ended_on IS NULL;
CREATE INDEX pairings_cadre_active ON pairings(cadre_id) WHERE ended_on IS NULL;
CREATE INDEX pairings_village_active ON pairings(village_code) WHERE ended_on IS NULL;
CREATE INDEX pairings_household ON pairings(household_id, id);

CREATE TABLE visits (
    id              INTEGER PRIMARY KEY,
    household_id    INTEGER NOT NULL REFERENCES households(id),
    village_code    TEXT NOT NULL,
    cadre_id        INTEGER NOT NULL REFERENCES cadres(id),
    visited_on      DATE NOT NULL,
    kind            TEXT NOT NULL,
    findings        TEXT NOT NULL DEFAULT '',
    food_secure     INTEGER,
    clothing_secure INTEGER,
    created_by      TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX visits_household ON visits(household_id, visited_on);
CREATE INDEX visits_village ON visits(village_code, visited_on);
CREATE INDEX visits_cadre ON visits(cadre_id, visited_on);

CREATE TABLE visit_photos (
    id           INTEGER PRIMARY KEY,
    visit_id     INTEGER NOT NULL REFERENCES visits(id),
    file_name    TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    data         BLOB NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX visit_photos_visit ON visit_photos(visit_id);

-- One check-in per cadre and day counts as a day in the village.
CREATE TABLE checkins (
    id         INTEGER PRIMARY KEY,
    cadre_id   INTEGER NOT NULL REFERENCES cadres(id),
    area_code  TEXT NOT NULL,
    day        DATE NOT NULL,
    at         TIMESTAMP NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    UNIQUE (cadre_id, day)
);
CREATE INDEX checkins_area_day ON checkins(area_code, day);

CREATE TABLE leaves (
    id          INTEGER PRIMARY KEY,
    cadre_id    INTEGER NOT NULL REFERENCES cadres(id),
    area_code   TEXT NOT NULL,
    from_on     DATE NOT NULL,
    to_on       DATE NOT NULL,
    reason      TEXT NOT NULL,
    status      TEXT NOT NULL,
    returned_on DATE,
    decided_by  TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX leaves_cadre ON leaves(cadre_id, from_on);
CREATE INDEX leaves_area ON leaves(area_code, from_on);

CREATE TABLE rotations (
    id                  INTEGER PRIMARY KEY,
    area_code           TEXT NOT NULL,
    title               TEXT NOT NULL,
    planned_on          DATE NOT NULL,
    status              TEXT NOT NULL,
    note                TEXT NOT NULL DEFAULT '',
    office_confirmed_by TEXT NOT NULL DEFAULT '',
    office_confirmed_at TIMESTAMP,
    created_by          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    completed_at        TIMESTAMP
);
CREATE INDEX rotations_area ON rotations(area_code);

CREATE TABLE rotation_items (
    id                    INTEGER PRIMARY KEY,
    rotation_id           INTEGER NOT NULL REFERENCES rotations(id),
    posting_id            INTEGER NOT NULL REFERENCES postings(id),
    outgoing_cadre_id     INTEGER NOT NULL REFERENCES cadres(id),
    incoming_cadre_id     INTEGER NOT NULL REFERENCES cadres(id),
    outgoing_confirmed_by TEXT NOT NULL DEFAULT '',
    outgoing_confirmed_at TIMESTAMP,
    incoming_confirmed_by TEXT NOT NULL DEFAULT '',
    incoming_confirmed_at TIMESTAMP,
    new_posting_id        INTEGER REFERENCES postings(id)
);
CREATE INDEX rotation_items_rotation ON rotation_items(rotation_id);

-- The handover list (交接清单): built by Fupin from pairings and postings,
-- plus entries people add (projects, documents); kept after completion.
CREATE TABLE handover_entries (
    id          INTEGER PRIMARY KEY,
    rotation_id INTEGER NOT NULL REFERENCES rotations(id),
    item_id     INTEGER REFERENCES rotation_items(id),
    kind        TEXT NOT NULL,
    ref_id      INTEGER,
    title       TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    auto        INTEGER NOT NULL DEFAULT 0,
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX handover_entries_rotation ON handover_entries(rotation_id, id);
