-- A finding's 责任人 and a key task's 责任领导 linked to the cadre they are
-- (two cadres may share a name); the typed name stays, and is all there is
-- for people outside Fupin.
ALTER TABLE ledger_findings ADD COLUMN responsible_cadre_id INTEGER REFERENCES cadres(id);
ALTER TABLE ledger_tasks ADD COLUMN leader_cadre_id INTEGER REFERENCES cadres(id);
CREATE INDEX ledger_findings_cadre ON ledger_findings(responsible_cadre_id);
CREATE INDEX ledger_tasks_cadre ON ledger_tasks(leader_cadre_id);
