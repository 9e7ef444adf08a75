-- The trigger functions name their tables without a schema, so an UPDATE or DELETE on
-- households, members, incomes or ledger_findings failed ("function appraisal_keep(bigint)
-- does not exist") from any session whose search_path lacks Fupin's schema: an operator in
-- psql, a restore or repair script. Each function now carries the schema the migration ran in.
ALTER FUNCTION appraisal_keep(BIGINT) SET search_path FROM CURRENT;
ALTER FUNCTION appraisal_keep_trigger() SET search_path FROM CURRENT;
ALTER FUNCTION ledger_changed() SET search_path FROM CURRENT;
ALTER FUNCTION ledger_finding_counts_move() SET search_path FROM CURRENT;
