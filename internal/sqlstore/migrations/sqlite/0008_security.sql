-- Security hardening (issue 12).

-- A password reset by someone else is shown to the user at the next
-- sign-in: who reset it and when, copied to the session that sign-in opens.
ALTER TABLE users ADD COLUMN password_reset_by TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN password_reset_at TIMESTAMP;
ALTER TABLE sessions ADD COLUMN password_reset_by TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN password_reset_at TIMESTAMP;

-- Sign-in lock-out state per account name, so that a restart does not
-- lift a lock or forget the failures counted towards one.
CREATE TABLE signin_lockouts (
    account      TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    last_failure TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);
