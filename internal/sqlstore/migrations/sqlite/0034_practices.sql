-- 典型案例 (the case library): a practice with its problem, what was done,
-- results in words and in figures (JSON, each naming the record it comes
-- from), themes as ',code,code,' for a LIKE filter, the pinyin initials of
-- the title for searching, the record it was proposed from, and a status
-- (proposed → published, or withdrawn); documents are kept beside it.
CREATE TABLE practices (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    initials     TEXT NOT NULL,
    area_code    TEXT NOT NULL,
    themes       TEXT NOT NULL,
    problem      TEXT NOT NULL,
    actions      TEXT NOT NULL,
    results      TEXT NOT NULL,
    figures      TEXT NOT NULL,
    source       TEXT NOT NULL DEFAULT '',
    source_id    INTEGER,
    status       TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    published_by TEXT NOT NULL DEFAULT '',
    published_at TIMESTAMP
);
CREATE INDEX practices_area ON practices(area_code);

CREATE TABLE practice_documents (
    id           INTEGER PRIMARY KEY,
    practice_id  INTEGER NOT NULL REFERENCES practices(id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    data         BLOB NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX practice_documents_practice ON practice_documents(practice_id);
