-- The audit log's sealing (audit_seal.go): the id up to which entries keep
-- their unkeyed chain, and a check value of the HMAC key (never the key).
CREATE TABLE audit_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
