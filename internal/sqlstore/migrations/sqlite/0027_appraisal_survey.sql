-- 成效考核: satisfaction surveys (群众认可度). One questionnaire per sampling
-- round (questions as JSON, appraisal.Question) and the answers of each
-- sampled household (JSON: question key → option). Individual answers are
-- read only by the roles that enter check results; others see tallies.
CREATE TABLE appraisal_surveys (
    round_id   INTEGER PRIMARY KEY REFERENCES appraisal_rounds(id),
    title      TEXT NOT NULL,
    questions  TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE appraisal_survey_responses (
    round_id     INTEGER NOT NULL REFERENCES appraisal_surveys(round_id),
    household_id INTEGER NOT NULL,
    answers      TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    recorded_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (round_id, household_id),
    FOREIGN KEY (round_id, household_id) REFERENCES appraisal_round_households(round_id, household_id)
);
