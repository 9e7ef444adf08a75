-- PostgreSQL only (the audit chain's lock and tail in one function); SQLite has one writer
-- and no stored functions, and keeps the file so both engines list the same migrations.
SELECT 1;
