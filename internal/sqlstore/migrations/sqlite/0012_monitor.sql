-- 防止返贫动态监测 (issue 16): cases with their steps, objections raised
-- during 公示, 一户一策 measures, department lists and their alerts, and the
-- working-day calendar years loaded by an administrator.

CREATE TABLE monitor_cases (
    id               INTEGER PRIMARY KEY,
    household_id     INTEGER NOT NULL REFERENCES households(id),
    village_code     TEXT NOT NULL,
    path             TEXT NOT NULL,
    category         TEXT NOT NULL,
    risks            TEXT NOT NULL DEFAULT '',
    facts            TEXT NOT NULL DEFAULT '',
    stage            TEXT NOT NULL,
    opened_on        DATE NOT NULL,
    stage_started_on DATE NOT NULL,
    notice_ends_on   DATE,
    participants     TEXT NOT NULL DEFAULT '',
    review_result    TEXT NOT NULL DEFAULT '',
    identified_on    DATE,
    eliminated_on    DATE,
    elimination_mode TEXT NOT NULL DEFAULT '',
    alert_id         INTEGER,
    version          INTEGER NOT NULL DEFAULT 1,
    created_by       TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
-- At most one case per household that is not rejected or eliminated.
CREATE UNIQUE INDEX monitor_cases_one_open ON monitor_cases(household_id)
    WHERE stage NOT IN ('rejected', 'eliminated');
CREATE INDEX monitor_cases_village ON monitor_cases(village_code, id);
CREATE INDEX monitor_cases_household ON monitor_cases(household_id, id);

CREATE TABLE monitor_steps (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES monitor_cases(id),
    from_stage TEXT NOT NULL,
    to_stage   TEXT NOT NULL,
    action     TEXT NOT NULL,
    summary    TEXT NOT NULL,
    actor      TEXT NOT NULL,
    at         TIMESTAMP NOT NULL
);
CREATE INDEX monitor_steps_case ON monitor_steps(case_id, id);

CREATE TABLE monitor_objections (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES monitor_cases(id),
    stage       TEXT NOT NULL,
    raised_by   TEXT NOT NULL,
    content     TEXT NOT NULL,
    received_on DATE NOT NULL,
    recorded_by TEXT NOT NULL,
    resolution  TEXT NOT NULL DEFAULT '',
    resolved_by TEXT NOT NULL DEFAULT '',
    resolved_at TIMESTAMP,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX monitor_objections_case ON monitor_objections(case_id, id);

CREATE TABLE monitor_measures (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES monitor_cases(id),
    household_id INTEGER NOT NULL REFERENCES households(id),
    category     TEXT NOT NULL,
    content      TEXT NOT NULL,
    responsible  TEXT NOT NULL,
    starts_on    DATE NOT NULL,
    ends_on      DATE,
    funds        INTEGER NOT NULL DEFAULT 0,
    fund_source  TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL,
    outcome      TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX monitor_measures_case ON monitor_measures(case_id, id);
CREATE INDEX monitor_measures_household ON monitor_measures(household_id, id);

-- One row per department file, by content hash: a file is matched once.
CREATE TABLE monitor_dept_files (
    id         INTEGER PRIMARY KEY,
    sha256     TEXT NOT NULL UNIQUE,
    department TEXT NOT NULL,
    name       TEXT NOT NULL,
    rows_read  INTEGER NOT NULL,
    matched    INTEGER NOT NULL,
    unmatched  INTEGER NOT NULL,
    loaded_by  TEXT NOT NULL,
    loaded_at  TIMESTAMP NOT NULL
);

CREATE TABLE monitor_alerts (
    id           INTEGER PRIMARY KEY,
    file_id      INTEGER NOT NULL REFERENCES monitor_dept_files(id),
    household_id INTEGER NOT NULL REFERENCES households(id),
    village_code TEXT NOT NULL,
    id_number    TEXT NOT NULL,
    department   TEXT NOT NULL,
    fact         TEXT NOT NULL,
    fact_on      DATE NOT NULL,
    received_on  DATE NOT NULL,
    due_on       DATE NOT NULL,
    outcome      TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    case_id      INTEGER,
    verified_by  TEXT NOT NULL DEFAULT '',
    verified_at  TIMESTAMP,
    version      INTEGER NOT NULL DEFAULT 1
);
-- The same fact about the same person from the same department is one alert,
-- whichever file brought it.
CREATE UNIQUE INDEX monitor_alerts_fact ON monitor_alerts(department, id_number, fact, fact_on);
CREATE INDEX monitor_alerts_village ON monitor_alerts(village_code, id);
CREATE INDEX monitor_alerts_household ON monitor_alerts(household_id);

-- ID numbers of a department file found in no current household of the
-- loader's areas: the village checks them (people outside the registry).
CREATE TABLE monitor_unmatched (
    id        INTEGER PRIMARY KEY,
    file_id   INTEGER NOT NULL REFERENCES monitor_dept_files(id),
    area      TEXT NOT NULL,
    id_number TEXT NOT NULL,
    fact      TEXT NOT NULL
);
CREATE INDEX monitor_unmatched_file ON monitor_unmatched(file_id, id);

CREATE TABLE monitor_calendar (
    year       INTEGER PRIMARY KEY,
    body       TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- 应纳未纳 reads only the verdicts that flag a household (a failing item or
-- income under the line): a few per cent of them.
CREATE INDEX verdicts_flagged ON verdicts(year, village_code, household_id, problems, income_risk, per_capita)
    WHERE problems > 0 OR income_risk;
