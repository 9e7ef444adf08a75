-- PostgreSQL only (trigger functions pinned to their schema); SQLite has no schemas or
-- stored functions, and keeps the file so both engines list the same migrations.
SELECT 1;
