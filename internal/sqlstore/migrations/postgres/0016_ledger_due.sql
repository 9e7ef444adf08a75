-- The ledger list's order (undated findings last, then by deadline and id)
-- as an index, so a township's first page walks it and stops after a page
-- instead of sorting every open finding of the area.
CREATE INDEX ledger_findings_due ON ledger_findings((deadline IS NULL), deadline, id);
