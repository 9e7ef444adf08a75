-- Spreadsheet imports run as background jobs: their state, counts and the
-- problems found, with the original cells of each bad row for the report.
CREATE TABLE imports (
    id            INTEGER PRIMARY KEY,
    file_name     TEXT NOT NULL,
    actor         TEXT NOT NULL,
    area          TEXT NOT NULL,
    dry_run       INTEGER NOT NULL DEFAULT 0,
    skip_invalid  INTEGER NOT NULL DEFAULT 0,
    state         TEXT NOT NULL,
    phase         TEXT NOT NULL DEFAULT '',
    rows_read     INTEGER NOT NULL DEFAULT 0,
    households    INTEGER NOT NULL DEFAULT 0,
    valid         INTEGER NOT NULL DEFAULT 0,
    invalid       INTEGER NOT NULL DEFAULT 0,
    written       INTEGER NOT NULL DEFAULT 0,
    updated       INTEGER NOT NULL DEFAULT 0,
    unchanged     INTEGER NOT NULL DEFAULT 0,
    bytes_done    INTEGER NOT NULL DEFAULT 0,
    bytes_total   INTEGER NOT NULL DEFAULT 0,
    message       TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP
);

CREATE TABLE import_errors (
    import_id  INTEGER NOT NULL REFERENCES imports(id),
    seq        INTEGER NOT NULL,
    sheet      TEXT NOT NULL,
    row_num    INTEGER NOT NULL,
    column_name TEXT NOT NULL,
    value      TEXT NOT NULL,
    reason     TEXT NOT NULL,
    cells      TEXT NOT NULL,
    PRIMARY KEY (import_id, seq)
);
