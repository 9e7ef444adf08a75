-- Aid-change counter for the 待办 panel (issue 11).

-- aid_changes.n advances in the transaction of every audited aid write
-- (pairings, visits, postings, leave, rotations). The 待办 panel memoises
-- its area counts under this counter and data_changes.n, which aid work
-- deliberately does not advance (the dashboard shows no aid data).
CREATE TABLE aid_changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO aid_changes (id, n) VALUES (1, 0);
