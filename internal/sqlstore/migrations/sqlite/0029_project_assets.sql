-- 帮扶项目资产: the assets accepted projects leave, one register per
-- village (kind, owner, value and operator in fen), and a yearly check of
-- each (income, the part shared with households, status), one per year.
CREATE TABLE project_assets (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES projects(id),
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    owner        TEXT NOT NULL,
    village_code TEXT NOT NULL,
    value        INTEGER NOT NULL CHECK (value > 0),
    operator     TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX project_assets_village ON project_assets(village_code);
CREATE INDEX project_assets_project ON project_assets(project_id);

CREATE TABLE project_asset_checks (
    asset_id   INTEGER NOT NULL REFERENCES project_assets(id),
    year       INTEGER NOT NULL,
    income     INTEGER NOT NULL CHECK (income >= 0),
    shared     INTEGER NOT NULL CHECK (shared >= 0 AND shared <= income),
    households INTEGER NOT NULL,
    status     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    checked_by TEXT NOT NULL,
    checked_at TIMESTAMP NOT NULL,
    PRIMARY KEY (asset_id, year)
);
