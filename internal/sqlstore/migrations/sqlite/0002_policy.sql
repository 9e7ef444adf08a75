-- Policy parameters, resolved parameter sets, stored verdicts and the queue
-- of recomputations a parameter change asks for.
CREATE TABLE policy_params (
    area       TEXT NOT NULL,
    year       INTEGER NOT NULL,
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (area, year, key)
);

-- One row per distinct resolved parameter set: verdicts name it by version.
CREATE TABLE policy_versions (
    version    TEXT PRIMARY KEY,
    area       TEXT NOT NULL,
    year       INTEGER NOT NULL,
    params     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- The verdict of a household for a year, recomputed with every change to the
-- household and after parameter changes. Statuses per item are columns so
-- that summaries are plain GROUP BYs; reasons are kept for non-passing items.
CREATE TABLE verdicts (
    household_id   INTEGER NOT NULL REFERENCES households(id),
    year           INTEGER NOT NULL,
    village_code   TEXT NOT NULL,
    assessed_on    DATE NOT NULL,
    policy_version TEXT NOT NULL,
    rules_version  TEXT NOT NULL,
    pass           INTEGER NOT NULL,
    problems       INTEGER NOT NULL,
    unknowns       INTEGER NOT NULL,
    income_risk    INTEGER NOT NULL,
    s_food         TEXT NOT NULL,
    s_clothing     TEXT NOT NULL,
    s_education    TEXT NOT NULL,
    s_medical      TEXT NOT NULL,
    s_housing      TEXT NOT NULL,
    s_water        TEXT NOT NULL,
    s_standard     TEXT NOT NULL,
    s_income       TEXT NOT NULL,
    reasons        TEXT NOT NULL,
    signals        TEXT NOT NULL,
    computed_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (household_id, year)
);
CREATE INDEX verdicts_year_village ON verdicts(year, village_code);

-- Earlier verdicts, kept when a recomputation changes a verdict's outcome.
CREATE TABLE verdict_history (
    id             INTEGER PRIMARY KEY,
    household_id   INTEGER NOT NULL,
    year           INTEGER NOT NULL,
    policy_version TEXT NOT NULL,
    pass           INTEGER NOT NULL,
    problems       INTEGER NOT NULL,
    statuses       TEXT NOT NULL,
    reasons        TEXT NOT NULL,
    computed_at    TIMESTAMP NOT NULL,
    replaced_at    TIMESTAMP NOT NULL
);
CREATE INDEX verdict_history_household ON verdict_history(household_id, year, id);

-- Recomputations asked for by parameter changes; the server works them off
-- in the background and at start, so none is lost to a restart.
CREATE TABLE recompute_queue (
    id           INTEGER PRIMARY KEY,
    area         TEXT NOT NULL,
    from_year    INTEGER NOT NULL,
    requested_at TIMESTAMP NOT NULL,
    done_at      TIMESTAMP
);
