-- The households that must have a helper (needsHelper in aid_pairing.go:
-- live 脱贫户 and live 监测户 whose risk is not eliminated), by village, with
-- what decides their visit interval: the 待办 panel counts unpaired
-- households and overdue visits from this index instead of reading every
-- household of the area (issue 14). The WHERE clause is needsHelper's text,
-- so that both engines see the queries imply it.
CREATE INDEX households_needs_helper ON households(village_code, household_type, monitor_type, risk_eliminated_on)
    WHERE deleted_at IS NULL AND (household_type = 'ex_poor' OR (monitor_type <> '' AND risk_eliminated_on IS NULL));
