-- 帮扶项目 and their funds (衔接资金项目): a project is administered in a
-- village or township (area_code), has a budget line per fund source, the
-- villages and households it benefits, and disbursements (amounts in fen).
-- Status: plan → approved → building → accepted, each step with who/when.
CREATE TABLE projects (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    type           TEXT NOT NULL,
    subtype        TEXT NOT NULL DEFAULT '',
    area_code      TEXT NOT NULL,
    year           INTEGER NOT NULL,
    content        TEXT NOT NULL DEFAULT '',
    unit           TEXT NOT NULL DEFAULT '',
    planned_start  DATE,
    planned_end    DATE NOT NULL,
    people         INTEGER NOT NULL DEFAULT 0,
    status         TEXT NOT NULL DEFAULT 'plan',
    approved_by    TEXT NOT NULL DEFAULT '',
    approved_at    TIMESTAMP,
    started_by     TEXT NOT NULL DEFAULT '',
    started_at     TIMESTAMP,
    accepted_by    TEXT NOT NULL DEFAULT '',
    accepted_at    TIMESTAMP,
    accept_opinion TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1,
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX projects_area ON projects(area_code, year);

CREATE TABLE project_budget (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    source     TEXT NOT NULL,
    amount     INTEGER NOT NULL CHECK (amount > 0),
    PRIMARY KEY (project_id, source)
);

CREATE TABLE project_villages (
    project_id   INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    village_code TEXT NOT NULL,
    PRIMARY KEY (project_id, village_code)
);

CREATE TABLE project_households (
    project_id   INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    household_id INTEGER NOT NULL REFERENCES households(id),
    PRIMARY KEY (project_id, household_id)
);
CREATE INDEX project_households_household ON project_households(household_id);

CREATE TABLE project_disbursements (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    paid_on    DATE NOT NULL,
    amount     INTEGER NOT NULL CHECK (amount > 0),
    source     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX project_disbursements_project ON project_disbursements(project_id);
