-- A finding's 责任人 and a key task's 责任领导 linked to the cadre they are
-- (two cadres may share a name); the typed name stays, and is all there is
-- for people outside Fupin. Also the ledger list's change counter (below).
ALTER TABLE ledger_findings ADD COLUMN responsible_cadre_id BIGINT REFERENCES cadres(id);
ALTER TABLE ledger_tasks ADD COLUMN leader_cadre_id BIGINT REFERENCES cadres(id);
CREATE INDEX ledger_findings_cadre ON ledger_findings(responsible_cadre_id);
CREATE INDEX ledger_tasks_cadre ON ledger_tasks(leader_cadre_id);
-- A typed name is linked to the one cadre of that name posted where the finding is.
CREATE INDEX cadres_name ON cadres(name);

-- ledger_changes.n advances with every change of a finding that moves the
-- ledger list's counts (a new or removed finding, its status, deadline,
-- area, inspection or category), whatever code path writes it; the counts
-- of a township or wider list are memoised under it, so writes elsewhere
-- (households, visits) no longer make the next list count again. Once per
-- statement, so a bulk load bumps it once.
CREATE TABLE ledger_changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO ledger_changes (id, n) VALUES (1, 0);
CREATE FUNCTION ledger_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE ledger_changes SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER ledger_findings_changes AFTER INSERT OR DELETE OR UPDATE OF status, deadline, area_code, inspection_id, category
    ON ledger_findings FOR EACH STATEMENT EXECUTE FUNCTION ledger_changed();
