package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// LoadOptions ties a bulk load to an import job.
type LoadOptions struct {
	// ImportID is the job; with Source, each household the load adds or
	// updates gets a change row (shown in the household's history) instead
	// of an audit entry per household.
	ImportID int64
	// Source, called as each household is emitted, names its first row in
	// the file.
	Source func() Source
	// Absent, called as each household is emitted, names the household and
	// member JSON paths its file has no column for: a merged household
	// keeps the stored values there (and wherever the file's value is
	// empty).
	Absent func() (household, member []string)
	// Finish runs in the load's transaction after everything is written,
	// to record the job's final state with the data it describes.
	Finish func(tx *Tx, st BulkStats) error
	// Held, when set, is told the bytes the load keeps until its end (the
	// new households' search terms on SQLite, about 50 MB at a million
	// people) each time they grow, on the goroutine that runs produce: a
	// command that sets its own soft memory limit raises it by them.
	Held func(bytes int64)
}

// Source is a row of an imported file.
type Source struct {
	Sheet string
	Row   int
}

// importChange records that the load's job added or updated a household,
// with the top-level fields that changed.
func (tx *Tx) importChange(ctx context.Context, householdID int64, kind string, src Source, changed []string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO import_changes (import_id, household_id, kind, sheet, row_num, changed)
		VALUES ($1, $2, $3, $4, $5, $6)`, tx.importID, householdID, kind, src.Sheet, src.Row, strings.Join(changed, ",")); err != nil {
		return fmt.Errorf("import change: %w", err)
	}
	return nil
}

const (
	importChangeCols  = "import_id, household_id, kind, sheet, row_num, changed"
	importChangeWidth = 6
)

// importHistory is a household's import change rows as history entries,
// each with the job's actor and time: "由导入任务 #N 新增（文件名，第 R 行）".
func (tx *Tx) importHistory(ctx context.Context, householdID int64) ([]AuditEntry, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.import_id, c.kind, c.sheet, c.row_num, c.changed, i.file_name, i.actor,
		i.committed_at, i.created_at FROM import_changes c JOIN imports i ON i.id = c.import_id
		WHERE c.household_id = $1 ORDER BY c.import_id DESC LIMIT 500`, householdID)
	if err != nil {
		return nil, fmt.Errorf("import history: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var id int64
		var kind, sheet, changed, file string
		var row int
		var committed *time.Time
		e := AuditEntry{HouseholdID: householdID, Action: "household.import", Entity: "household",
			EntityID: fmt.Sprint(householdID), Before: rawOrNull(""), After: rawOrNull("")}
		if err := rows.Scan(&id, &kind, &sheet, &row, &changed, &file, &e.Actor, &committed, &e.At); err != nil {
			return nil, fmt.Errorf("scan import history: %w", err)
		}
		if committed != nil {
			e.At = *committed
		}
		e.At = e.At.UTC()
		e.ImportID = id
		verb := map[string]string{"add": "新增", "update": "更新"}[kind]
		where := "第 " + fmt.Sprint(row) + " 行"
		if sheet != "" {
			where = "工作表“" + sheet + "”" + where
		}
		e.Summary = fmt.Sprintf("由导入任务 #%d %s（%s，%s）", id, verb, file, where)
		e.Changed = []string{}
		if changed != "" {
			e.Changed = strings.Split(changed, ",")
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// withImports merges a household's import entries into its audit entries
// (both newest first). The audit entry an import's merge wrote (same
// time, action household.import) carries the before and after: the two
// become one entry.
func withImports(audit, imports []AuditEntry) []AuditEntry {
	if len(imports) == 0 {
		return audit
	}
	out := make([]AuditEntry, 0, len(audit)+len(imports))
	used := make([]bool, len(imports))
	for _, a := range audit {
		if a.Action == "household.import" {
			for k := range imports {
				if !used[k] && imports[k].At.Equal(a.At) {
					used[k] = true
					a.Summary, a.ImportID = imports[k].Summary, imports[k].ImportID
					break
				}
			}
		}
		out = append(out, a)
	}
	for k, im := range imports {
		if !used[k] {
			out = append(out, im)
		}
	}
	sortNewestFirst(out)
	return out
}

func sortNewestFirst(es []AuditEntry) {
	sort.SliceStable(es, func(i, j int) bool {
		if !es[i].At.Equal(es[j].At) {
			return es[i].At.After(es[j].At)
		}
		return es[i].ID > es[j].ID
	})
}
