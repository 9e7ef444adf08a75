-- The case list (DB.MonitorCases) counts, orders and pages a county's cases
-- in SQL from the stage and its two dates (overdue when the step began, or
-- the case was opened, before a bound per stage): this index covers that
-- query, so the rows of the cases are read only for the page.
CREATE INDEX monitor_cases_list ON monitor_cases(village_code, stage, stage_started_on, opened_on, id);
