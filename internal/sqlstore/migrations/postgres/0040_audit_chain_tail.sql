-- audit_chain_tail() takes the audit chain's advisory lock (held to the end of the
-- transaction) and returns the newest entry's hash, NULL for an empty log, in one round
-- trip. The hash has to be read after the lock is granted, from rows committed by then:
-- one statement sees the rows committed when it started, so SELECT pg_advisory_xact_lock(..),
-- (SELECT hash ..) could miss the entry of the writer it waited for. A VOLATILE PL/pgSQL
-- function takes a new snapshot for each statement it runs (in READ COMMITTED). Writers of
-- older versions take the same lock with their own two statements, so both can run at once.
CREATE FUNCTION audit_chain_tail() RETURNS TEXT LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(4242002);
    RETURN (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1);
END
$$;
ALTER FUNCTION audit_chain_tail() SET search_path FROM CURRENT;
