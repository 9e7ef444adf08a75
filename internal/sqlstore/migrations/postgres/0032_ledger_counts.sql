-- The ledger list's counts, kept as the findings change: how many findings
-- each area, inspection, category, status and deadline has (dated 0: no
-- deadline, deadline then '0001-01-01'). Deadline buckets move with the
-- calendar, so counts are kept per deadline day and bucketed when read; a
-- township's or county's cold count sums these rows (one per distinct key,
-- a few hundred for a county whose findings share their batches'
-- deadlines) instead of reading every finding. Maintained by the triggers
-- below whatever code path writes a finding, once per statement from its
-- transition tables (a bulk load adds its rows grouped); a row whose count
-- reaches 0 is removed. Read committed: a concurrent writer of the same key
-- waits for the row, then adds to the committed count.
CREATE TABLE ledger_finding_counts (
    area_code     TEXT COLLATE "C" NOT NULL,
    inspection_id BIGINT NOT NULL,
    category      TEXT NOT NULL,
    status        TEXT NOT NULL,
    dated         SMALLINT NOT NULL,
    deadline      DATE NOT NULL,
    n             BIGINT NOT NULL,
    PRIMARY KEY (area_code, inspection_id, category, status, dated, deadline)
);
INSERT INTO ledger_finding_counts (area_code, inspection_id, category, status, dated, deadline, n)
SELECT area_code, inspection_id, category, status, (deadline IS NOT NULL)::int, COALESCE(deadline, DATE '0001-01-01'), COUNT(*)
FROM ledger_findings GROUP BY 1, 2, 3, 4, 5, 6;

-- Rows left at 0 are found through this index (it holds only them).
CREATE INDEX ledger_finding_counts_empty ON ledger_finding_counts(area_code) WHERE n = 0;
-- ledger_finding_counts_move adds a statement's changes grouped by key
-- (new rows count +1, old rows -1; an update that moves no counted column
-- nets to nothing and writes nothing), in key order so that concurrent
-- writers lock shared rows in one order.
CREATE FUNCTION ledger_finding_counts_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO ledger_finding_counts AS c (area_code, inspection_id, category, status, dated, deadline, n)
        SELECT area_code, inspection_id, category, status, (deadline IS NOT NULL)::int, COALESCE(deadline, DATE '0001-01-01'), COUNT(*) FROM new_rows
        GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (area_code, inspection_id, category, status, dated, deadline) DO UPDATE SET n = c.n + EXCLUDED.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO ledger_finding_counts AS c (area_code, inspection_id, category, status, dated, deadline, n)
        SELECT area_code, inspection_id, category, status, (deadline IS NOT NULL)::int, COALESCE(deadline, DATE '0001-01-01'), -COUNT(*) FROM old_rows
        GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (area_code, inspection_id, category, status, dated, deadline) DO UPDATE SET n = c.n + EXCLUDED.n;
        DELETE FROM ledger_finding_counts WHERE n = 0;
    ELSE
        INSERT INTO ledger_finding_counts AS c (area_code, inspection_id, category, status, dated, deadline, n)
        SELECT a, i, g, s, d, l, SUM(n) FROM (
            SELECT area_code AS a, inspection_id AS i, category AS g, status AS s, (deadline IS NOT NULL)::int AS d,
                COALESCE(deadline, DATE '0001-01-01') AS l, 1 AS n FROM new_rows
            UNION ALL
            SELECT area_code, inspection_id, category, status, (deadline IS NOT NULL)::int,
                COALESCE(deadline, DATE '0001-01-01'), -1 FROM old_rows) m
        GROUP BY 1, 2, 3, 4, 5, 6 HAVING SUM(n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (area_code, inspection_id, category, status, dated, deadline) DO UPDATE SET n = c.n + EXCLUDED.n;
        DELETE FROM ledger_finding_counts WHERE n = 0;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER ledger_finding_counts_insert AFTER INSERT ON ledger_findings
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_finding_counts_move();
CREATE TRIGGER ledger_finding_counts_delete AFTER DELETE ON ledger_findings
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_finding_counts_move();
CREATE TRIGGER ledger_finding_counts_update AFTER UPDATE ON ledger_findings
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_finding_counts_move();
