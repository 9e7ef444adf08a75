-- As-of reads (issue 18) find the registry entries written after a date.
CREATE INDEX audit_at ON audit_log(at);
