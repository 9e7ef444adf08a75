-- The dashboard (总览) counts from covering indexes, and bands incomes from
-- the verdicts instead of recomputing every household's per-capita income.

-- per_capita is the per-capita net income (fen) the verdict's income item
-- compared with the lines; NULL when the year has no income record or no
-- member present (the item is then unknown). Verdicts stored before this
-- migration have NULL until the recomputation queued below has run (the
-- server works the queue off at start and in the background): until then
-- their households count in the income band "none".
ALTER TABLE verdicts ADD COLUMN per_capita INTEGER;

-- One index-ordered pass per village gives every verdict count and the
-- income bands; (year, village_code) is its prefix, so the old index goes.
DROP INDEX verdicts_year_village;
CREATE INDEX verdicts_dashboard ON verdicts(year, village_code, pass, problems, income_risk, s_food,
    s_clothing, s_education, s_medical, s_housing, s_water, s_standard, s_income, per_capita);

-- The household counts per village, type, monitoring type and attribute.
-- deleted_at is listed so that SQLite sees the index as covering (it does
-- not count the partial index's condition as a column it holds).
CREATE INDEX households_dashboard ON households(village_code, household_type, monitor_type,
    poverty_attr, size, deleted_at) WHERE deleted_at IS NULL;

-- Fill per_capita: recompute every stored year of every area.
INSERT INTO recompute_queue (area, from_year, requested_at)
    SELECT '', MIN(year), CURRENT_TIMESTAMP FROM verdicts HAVING COUNT(*) > 0;
