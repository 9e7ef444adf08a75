-- The households that cannot be 应纳未纳 whatever their verdict (deleted,
-- or a monitoring object whose risk stands): a few per cent of them. The
-- 待办 panel counts 应纳未纳 per village from the flagged verdicts
-- (verdicts_flagged) less those of these households, so that neither
-- engine reads the households table (PostgreSQL seq-scanned it for a hash
-- join; SQLite looked up every flagged household's row). The WHERE clause
-- is the negation of uncoveredWhere's household conditions, written as
-- countUncovered writes it, so that both engines see the query implies it.
CREATE INDEX households_not_uncovered ON households(id)
    WHERE deleted_at IS NOT NULL OR (monitor_type <> '' AND risk_eliminated_on IS NULL);
