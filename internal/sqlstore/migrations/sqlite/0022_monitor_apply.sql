-- 自主申报 (issue 16): applications from the public page (no sign-in) or
-- recorded by a cadre on a household's behalf (with the signed 承诺授权书),
-- in the queue of their village and township until accepted (a case) or
-- declined (a reason), and the per-day counters that bound the public page.

CREATE TABLE monitor_applications (
    id           INTEGER PRIMARY KEY,
    receipt      TEXT NOT NULL UNIQUE,
    village_code TEXT NOT NULL,
    name         TEXT NOT NULL,
    phone        TEXT NOT NULL,
    content      TEXT NOT NULL,
    submitted_at TIMESTAMP NOT NULL,
    outcome      TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    household_id INTEGER REFERENCES households(id),
    case_id      INTEGER REFERENCES monitor_cases(id),
    decided_by   TEXT NOT NULL DEFAULT '',
    decided_at   TIMESTAMP,
    recorded_by  TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX monitor_applications_village ON monitor_applications(village_code, id);

-- The signed 承诺授权书 of an application a cadre recorded (PDF or image).
CREATE TABLE monitor_application_files (
    application_id INTEGER PRIMARY KEY REFERENCES monitor_applications(id),
    file_name      TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size           INTEGER NOT NULL,
    data           BLOB NOT NULL,
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL
);

-- Submissions per day and client (a hash of the address; '*' counts all):
-- incremented in the submitting transaction, so a refused one writes nothing.
CREATE TABLE monitor_apply_quota (
    day  DATE NOT NULL,
    addr TEXT NOT NULL,
    n    INTEGER NOT NULL,
    PRIMARY KEY (day, addr)
);
