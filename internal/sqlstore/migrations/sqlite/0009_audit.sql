-- The audit log's sealing (audit_seal.go): the id up to which entries keep
-- their unkeyed chain, and a check value of the HMAC key (never the key).
CREATE TABLE audit_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- API tokens are told apart by name in the audit log and in lists: names are
-- unique. Existing duplicates keep the oldest name and get their id appended.
UPDATE api_tokens SET name = name || '#' || id
    WHERE id NOT IN (SELECT MIN(id) FROM api_tokens GROUP BY name);
CREATE UNIQUE INDEX api_tokens_name ON api_tokens (name);
