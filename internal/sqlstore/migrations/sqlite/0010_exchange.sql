-- Excel exchange: a net income a file gives without its components; import
-- jobs owned by a principal (user or token id) within areas, with exact
-- problem counts and the marker their data transaction commits; warnings
-- beside errors; and one compact change row per household an import
-- added or updated, for the household's history.
ALTER TABLE incomes ADD COLUMN declared_net INTEGER;

ALTER TABLE imports ADD COLUMN principal TEXT NOT NULL DEFAULT '';
ALTER TABLE imports ADD COLUMN scope TEXT NOT NULL DEFAULT '';
ALTER TABLE imports ADD COLUMN errors INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN income_year INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN committed_at TIMESTAMP;

ALTER TABLE import_errors ADD COLUMN level TEXT NOT NULL DEFAULT 'error';

CREATE TABLE import_changes (
    import_id    INTEGER NOT NULL REFERENCES imports(id),
    household_id INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    sheet        TEXT NOT NULL,
    row_num      INTEGER NOT NULL,
    changed      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX import_changes_household ON import_changes (household_id);
