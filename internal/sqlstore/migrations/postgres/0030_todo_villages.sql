-- Per-village change versions for the 待办 panel (issue 11).

-- todo_changes.n advances in the transaction of every audited write the
-- panel's per-village counts could show (应纳未纳, 未结对, 超期未走访):
-- a write about one household advances the rows of the villages that
-- household's records name; any other write advances the row of scope ''
-- (every village). The panel keeps each village's counts while the
-- village's row and the '' row hold, so a write in one village recounts
-- that village only.
CREATE TABLE todo_changes (
    scope TEXT PRIMARY KEY,
    n     BIGINT NOT NULL
);
INSERT INTO todo_changes (scope, n) VALUES ('', 0);
