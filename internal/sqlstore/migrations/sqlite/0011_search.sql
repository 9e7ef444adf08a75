-- Data-change counter and the name/ID search index (issue 14).

-- data_changes.n advances in the transaction of every write the dashboard
-- or a list count could show (registry, verdicts, policy, loads), and not
-- for reads (person.view, exports) or account work: caches of derived
-- answers key on it, so viewing a household no longer invalidates them,
-- and a write by any process (CLI import beside the server) does.
CREATE TABLE data_changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO data_changes (id, n) VALUES (1, 0);

-- household_terms: for every current member, each suffix of the name (a
-- substring of a name is a prefix of one of its suffixes, so any part of a
-- name, one character or more, is a range scan) and '#' followed by the
-- last six characters of the ID number reversed (so the last 4–6 digits
-- are a prefix too). Kept in the transaction of every member change.
CREATE TABLE household_terms (
    term         TEXT NOT NULL,
    household_id INTEGER NOT NULL,
    PRIMARY KEY (term, household_id)
) WITHOUT ROWID;

INSERT INTO household_terms (term, household_id)
WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 40)
SELECT substr(m.name, k.n), m.household_id FROM members m JOIN k ON k.n <= length(m.name)
    WHERE m.is_current
UNION
SELECT '#' || substr(m.id_number, length(m.id_number), 1) || substr(m.id_number, length(m.id_number) - 1, 1) ||
    substr(m.id_number, length(m.id_number) - 2, 1) || substr(m.id_number, length(m.id_number) - 3, 1) ||
    substr(m.id_number, length(m.id_number) - 4, 1) || substr(m.id_number, length(m.id_number) - 5, 1),
    m.household_id FROM members m WHERE m.is_current
ORDER BY 1, 2;

CREATE INDEX household_terms_household ON household_terms(household_id);

-- Every sort the console offers is an index walk (issue 14): within a
-- village (equality on village_code, then the sort column) and across a
-- township, county or wider (the sort column first; village_code is kept
-- in the index so the area is checked without reading the row).
-- households_village_head (0001) and households_village_live serve head
-- name and village order.
CREATE INDEX households_village_no ON households(village_code, household_no, id) WHERE deleted_at IS NULL;
CREATE INDEX households_village_size ON households(village_code, size, id) WHERE deleted_at IS NULL;
CREATE INDEX households_village_updated ON households(village_code, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX households_sort_no ON households(household_no, id, village_code) WHERE deleted_at IS NULL;
CREATE INDEX households_sort_head ON households(head_name, id, village_code) WHERE deleted_at IS NULL;
CREATE INDEX households_sort_size ON households(size, id, village_code) WHERE deleted_at IS NULL;
CREATE INDEX households_sort_updated ON households(updated_at, id, village_code) WHERE deleted_at IS NULL;
