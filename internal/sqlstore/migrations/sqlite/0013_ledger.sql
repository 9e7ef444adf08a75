-- Rectification ledger (巡视整改台账): inspections and their findings, the
-- households a finding names, the timeline of each finding (进展、销号链、
-- 回头看), and key tasks (阶段性重点工作) with milestones.
-- SQLite: timestamps are TIMESTAMP text (UTC), dates DATE text, booleans INTEGER 0/1.
CREATE TABLE ledger_inspections (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,
    title       TEXT NOT NULL,
    batch       TEXT NOT NULL DEFAULT '',
    area_code   TEXT NOT NULL,
    feedback_on DATE,
    recheck_of  INTEGER REFERENCES ledger_inspections(id),
    note        TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX ledger_inspections_area ON ledger_inspections(area_code);

CREATE TABLE ledger_findings (
    id                 INTEGER PRIMARY KEY,
    inspection_id      INTEGER NOT NULL REFERENCES ledger_inspections(id),
    number             TEXT NOT NULL,
    category           TEXT NOT NULL,
    description        TEXT NOT NULL,
    area_code          TEXT NOT NULL,
    county_level       INTEGER NOT NULL DEFAULT 0,
    lead_unit          TEXT NOT NULL,
    responsible_units  TEXT NOT NULL DEFAULT '',
    responsible_person TEXT NOT NULL DEFAULT '',
    measures           TEXT NOT NULL DEFAULT '',
    deadline           DATE,
    kind               TEXT NOT NULL,
    item               TEXT NOT NULL DEFAULT '',
    year               INTEGER NOT NULL DEFAULT 0,
    recurrence_of      INTEGER REFERENCES ledger_findings(id),
    status             TEXT NOT NULL,
    applied_by         TEXT NOT NULL DEFAULT '',
    applied_at         TIMESTAMP,
    evidence           TEXT NOT NULL DEFAULT '',
    reviewed_by        TEXT NOT NULL DEFAULT '',
    reviewed_at        TIMESTAMP,
    closed_by          TEXT NOT NULL DEFAULT '',
    closed_at          TIMESTAMP,
    opinion            TEXT NOT NULL DEFAULT '',
    reject_reason      TEXT NOT NULL DEFAULT '',
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    UNIQUE (inspection_id, number)
);
-- Lists filter by area and count by status and deadline bucket from this index alone.
CREATE INDEX ledger_findings_area ON ledger_findings(area_code, status, deadline);
CREATE INDEX ledger_findings_recurrence ON ledger_findings(recurrence_of);

CREATE TABLE ledger_finding_households (
    finding_id   INTEGER NOT NULL REFERENCES ledger_findings(id),
    household_id INTEGER NOT NULL REFERENCES households(id),
    fixed_at     TIMESTAMP,
    PRIMARY KEY (finding_id, household_id)
);
CREATE INDEX ledger_finding_households_household ON ledger_finding_households(household_id);

CREATE TABLE ledger_steps (
    id          INTEGER PRIMARY KEY,
    finding_id  INTEGER NOT NULL REFERENCES ledger_findings(id),
    kind        TEXT NOT NULL,
    account     TEXT NOT NULL,
    text        TEXT NOT NULL DEFAULT '',
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    at          TIMESTAMP NOT NULL
);
CREATE INDEX ledger_steps_finding ON ledger_steps(finding_id);

CREATE TABLE ledger_tasks (
    id                INTEGER PRIMARY KEY,
    title             TEXT NOT NULL,
    area_code         TEXT NOT NULL,
    lead_unit         TEXT NOT NULL,
    responsible_units TEXT NOT NULL DEFAULT '',
    leader            TEXT NOT NULL DEFAULT '',
    deadline          DATE NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1,
    created_by        TEXT NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
CREATE INDEX ledger_tasks_area ON ledger_tasks(area_code);

CREATE TABLE ledger_milestones (
    id      INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES ledger_tasks(id),
    title   TEXT NOT NULL,
    due_on  DATE NOT NULL,
    done_on DATE,
    note    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ledger_milestones_task ON ledger_milestones(task_id);
