-- The ledger list's order (undated findings last, then by deadline and id)
-- as an index, so a township's first page walks it and stops after a page
-- instead of sorting every open finding of the area.
CREATE INDEX ledger_findings_due ON ledger_findings((deadline IS NULL), deadline, id);

-- Evidence files (佐证材料) of a finding's progress reports and 销号
-- application: cleaned images and checked PDFs, bytes in the database.
CREATE TABLE ledger_evidence (
    id           INTEGER PRIMARY KEY,
    finding_id   INTEGER NOT NULL REFERENCES ledger_findings(id),
    file_name    TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    data         BLOB NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX ledger_evidence_finding ON ledger_evidence(finding_id);
