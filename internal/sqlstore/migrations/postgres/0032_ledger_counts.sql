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

-- ledger_finding_counts_add adds the grouped rows of delta (a key and a
-- signed count) and removes the rows left at 0.
CREATE FUNCTION ledger_finding_counts_add(delta ledger_finding_counts[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO ledger_finding_counts AS c (area_code, inspection_id, category, status, dated, deadline, n)
    SELECT area_code, inspection_id, category, status, dated, deadline, SUM(n) FROM unnest(delta)
    GROUP BY 1, 2, 3, 4, 5, 6 HAVING SUM(n) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (area_code, inspection_id, category, status, dated, deadline) DO UPDATE SET n = c.n + EXCLUDED.n;
    DELETE FROM ledger_finding_counts c USING unnest(delta) d
    WHERE c.n = 0 AND c.area_code = d.area_code AND c.inspection_id = d.inspection_id AND c.category = d.category
      AND c.status = d.status AND c.dated = d.dated AND c.deadline = d.deadline;
$$;
CREATE FUNCTION ledger_finding_counts_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM ledger_finding_counts_add(ARRAY(SELECT ROW(area_code, inspection_id, category, status, (deadline IS NOT NULL)::int::smallint,
            COALESCE(deadline, DATE '0001-01-01'), 1::bigint)::ledger_finding_counts FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM ledger_finding_counts_add(ARRAY(SELECT ROW(area_code, inspection_id, category, status, (deadline IS NOT NULL)::int::smallint,
            COALESCE(deadline, DATE '0001-01-01'), -1::bigint)::ledger_finding_counts FROM old_rows));
    ELSE
        PERFORM ledger_finding_counts_add(ARRAY(
            SELECT ROW(area_code, inspection_id, category, status, (deadline IS NOT NULL)::int::smallint,
                COALESCE(deadline, DATE '0001-01-01'), 1::bigint)::ledger_finding_counts FROM new_rows
            UNION ALL
            SELECT ROW(area_code, inspection_id, category, status, (deadline IS NOT NULL)::int::smallint,
                COALESCE(deadline, DATE '0001-01-01'), -1::bigint)::ledger_finding_counts FROM old_rows));
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
