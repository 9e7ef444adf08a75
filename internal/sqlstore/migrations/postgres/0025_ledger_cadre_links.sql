-- Links the findings and tasks stored before 0024 to their cadre where
-- exactly one cadre carries the typed name; a name two cadres share, or no
-- cadre has, stays a name only. Touches unlinked rows only, so it can run
-- again.
UPDATE ledger_findings SET responsible_cadre_id = (SELECT MIN(c.id) FROM cadres c WHERE c.name = ledger_findings.responsible_person)
WHERE responsible_cadre_id IS NULL AND responsible_person <> ''
  AND (SELECT COUNT(*) FROM cadres c WHERE c.name = ledger_findings.responsible_person) = 1;
UPDATE ledger_tasks SET leader_cadre_id = (SELECT MIN(c.id) FROM cadres c WHERE c.name = ledger_tasks.leader)
WHERE leader_cadre_id IS NULL AND leader <> ''
  AND (SELECT COUNT(*) FROM cadres c WHERE c.name = ledger_tasks.leader) = 1;
