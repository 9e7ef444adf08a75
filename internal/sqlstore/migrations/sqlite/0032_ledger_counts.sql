-- The ledger list's counts, kept as the findings change: how many findings
-- each area, inspection, category, status and deadline has (dated 0: no
-- deadline, deadline then '0001-01-01'). Deadline buckets move with the
-- calendar, so counts are kept per deadline day and bucketed when read; a
-- township's or county's cold count sums these rows (one per distinct key,
-- a few hundred for a county whose findings share their batches'
-- deadlines) instead of reading every finding. Maintained by the triggers
-- below whatever code path writes a finding; a row whose count reaches 0 is
-- removed.
CREATE TABLE ledger_finding_counts (
    area_code     TEXT NOT NULL,
    inspection_id INTEGER NOT NULL,
    category      TEXT NOT NULL,
    status        TEXT NOT NULL,
    dated         INTEGER NOT NULL,
    deadline      DATE NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (area_code, inspection_id, category, status, dated, deadline)
);
INSERT INTO ledger_finding_counts (area_code, inspection_id, category, status, dated, deadline, n)
SELECT area_code, inspection_id, category, status, deadline IS NOT NULL, COALESCE(deadline, '0001-01-01'), COUNT(*)
FROM ledger_findings GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TRIGGER ledger_finding_counts_insert AFTER INSERT ON ledger_findings
BEGIN
    INSERT INTO ledger_finding_counts (area_code, inspection_id, category, status, dated, deadline, n)
    VALUES (NEW.area_code, NEW.inspection_id, NEW.category, NEW.status, NEW.deadline IS NOT NULL, COALESCE(NEW.deadline, '0001-01-01'), 1)
    ON CONFLICT (area_code, inspection_id, category, status, dated, deadline) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER ledger_finding_counts_delete AFTER DELETE ON ledger_findings
BEGIN
    UPDATE ledger_finding_counts SET n = n - 1
    WHERE area_code = OLD.area_code AND inspection_id = OLD.inspection_id AND category = OLD.category AND status = OLD.status
      AND dated = (OLD.deadline IS NOT NULL) AND deadline = COALESCE(OLD.deadline, '0001-01-01');
    DELETE FROM ledger_finding_counts
    WHERE area_code = OLD.area_code AND inspection_id = OLD.inspection_id AND category = OLD.category AND status = OLD.status
      AND dated = (OLD.deadline IS NOT NULL) AND deadline = COALESCE(OLD.deadline, '0001-01-01') AND n = 0;
END;
CREATE TRIGGER ledger_finding_counts_update AFTER UPDATE OF status, deadline, area_code, inspection_id, category ON ledger_findings
WHEN OLD.status IS NOT NEW.status OR OLD.deadline IS NOT NEW.deadline OR OLD.area_code IS NOT NEW.area_code
  OR OLD.inspection_id IS NOT NEW.inspection_id OR OLD.category IS NOT NEW.category
BEGIN
    UPDATE ledger_finding_counts SET n = n - 1
    WHERE area_code = OLD.area_code AND inspection_id = OLD.inspection_id AND category = OLD.category AND status = OLD.status
      AND dated = (OLD.deadline IS NOT NULL) AND deadline = COALESCE(OLD.deadline, '0001-01-01');
    DELETE FROM ledger_finding_counts
    WHERE area_code = OLD.area_code AND inspection_id = OLD.inspection_id AND category = OLD.category AND status = OLD.status
      AND dated = (OLD.deadline IS NOT NULL) AND deadline = COALESCE(OLD.deadline, '0001-01-01') AND n = 0;
    INSERT INTO ledger_finding_counts (area_code, inspection_id, category, status, dated, deadline, n)
    VALUES (NEW.area_code, NEW.inspection_id, NEW.category, NEW.status, NEW.deadline IS NOT NULL, COALESCE(NEW.deadline, '0001-01-01'), 1)
    ON CONFLICT (area_code, inspection_id, category, status, dated, deadline) DO UPDATE SET n = n + 1;
END;
