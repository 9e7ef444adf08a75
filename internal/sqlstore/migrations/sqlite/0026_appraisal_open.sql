-- 成效考核: on PostgreSQL this migration lets snapshots run beside writers
-- (appraisal_snapshot_open) and spares COPY of new households the
-- copy-on-write check. SQLite has one writer, so a snapshot's transaction
-- already excludes every write, and its triggers' WHEN clause is one index
-- probe (no measurable cost on a 10,000-household bulk load): nothing to do.
SELECT 1;
