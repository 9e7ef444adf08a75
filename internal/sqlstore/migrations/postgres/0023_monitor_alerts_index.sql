-- No query reads department alerts by household alone (the lists go by
-- village, a case by its own id, and households are never deleted), so the
-- index only cost every alert one more B-tree insert when a department
-- list is matched (BenchmarkDepartmentList1M: about 0.5 s of 10 s for a
-- list of 1,000,000 ID numbers on SQLite).
DROP INDEX monitor_alerts_household;
