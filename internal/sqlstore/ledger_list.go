package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fupin/internal/fupin"
	"fupin/internal/ledger"
)

// FindingFilter selects findings for the ledger list.
type FindingFilter struct {
	Area         string // division code prefix
	InspectionID int64
	Status       string // one of ledger.Statuses, "open" for all but closed
	Bucket       string // one of ledger.Buckets
	Category     string
	CadreID      int64 // the 责任人's cadre (linked findings only)
	Offset       int
	Limit        int // 1–500, default 50
}

// FindingPage is a page of the ledger with the counts the list shows
// above it: open findings per deadline bucket and findings per status, for
// the whole filter except bucket and status.
type FindingPage struct {
	Items    []ledger.Finding `json:"items"`
	Total    int              `json:"total"`
	Buckets  map[string]int   `json:"buckets" description:"未销号问题按期限分组的数目（overdue、within_10、within_20、later）"`
	Statuses map[string]int   `json:"statuses" description:"各状态的问题数"`
}

func (f *FindingFilter) validate() error {
	errs := fupin.FieldErrors{}
	if strings.Trim(f.Area, "0123456789") != "" || len(f.Area) > 12 {
		errs.Add("area", "区域应为统计用区划代码（前缀）")
	}
	if f.Status != "" && f.Status != "open" && !validStatus(f.Status) {
		errs.Add("status", "状态不在代码表中："+f.Status)
	}
	if f.Bucket != "" && !ledger.Buckets.Has(f.Bucket) {
		errs.Add("bucket", "期限分组应为 overdue、within_10、within_20 或 later")
	}
	if f.Category != "" && !ledger.Categories.Has(f.Category) {
		errs.Add("category", "问题类别不在代码表中："+f.Category)
	}
	if f.CadreID < 0 {
		errs.Add("cadre_id", "干部编号应为正整数")
	}
	if f.Limit == 0 {
		f.Limit = 50
	}
	if f.Limit < 0 || f.Limit > 500 {
		errs.Add("limit", "每页条数应在 1–500 之间")
	}
	if f.Offset < 0 || f.Offset > 1_000_000 {
		errs.Add("offset", "偏移量应在 0–1000000 之间")
	}
	return errs.Err()
}

// Findings lists the findings inside the actor's areas (narrowed to
// f.Area) ordered by deadline, with bucket and status counts. Buckets are
// date ranges computed from db.WorkingDays. One aggregate over the filter
// (without status and bucket) gives the counts and every total, memoised
// until the data changes; then a page is one indexed statement, run
// outside a transaction (one statement reads one snapshot), so a warm page
// costs two round trips on PostgreSQL. Errors: invalid.
func (db *DB) Findings(ctx context.Context, actor fupin.Actor, f FindingFilter) (FindingPage, error) {
	page := FindingPage{Items: []ledger.Finding{}, Buckets: map[string]int{}, Statuses: map[string]int{}}
	if err := f.validate(); err != nil {
		return page, err
	}
	today := fupin.DateOf(db.Now().In(chinaTime))
	last10, last20 := ledger.BucketBounds(today.Time(), db.WorkingDays)
	q := findingQuery{today: today, last10: fupin.DateOf(last10), last20: fupin.DateOf(last20)}
	q.build(actor, f)
	token, err := db.ledgerToken(ctx, q.wide)
	if err != nil {
		return page, err
	}
	key := ledgerCountsKey(actor, f, q.bounds())
	cells, ok := db.ledgerCounts.peek(key, token)
	if ok {
		page.Items, err = db.findingRows(ctx, db.read, q, f, today)
	} else {
		err = db.view(ctx, actor, func(tx *Tx) error {
			if cells, err = tx.countCells(ctx, q); err != nil {
				return err
			}
			db.ledgerCounts.put(key, token, cells)
			page.Items, err = db.findingRows(ctx, tx, q, f, today)
			return err
		})
	}
	if err != nil {
		return page, err
	}
	page.Buckets, page.Statuses, page.Total = cells.tally(f)
	return page, nil
}

// ledgerToken names the state the list's counts are memoised under. For a
// township or wider it is ledger_changes.n, which every change of a
// finding advances (migration 0024's triggers) and nothing else does; a
// village's list also counts the township findings naming its households,
// which follow household changes, so it goes by the data token.
func (db *DB) ledgerToken(ctx context.Context, wide bool) (string, error) {
	if !wide {
		return db.dataToken(ctx)
	}
	var n int64
	if err := db.readRow(ctx, `SELECT n FROM ledger_changes WHERE id = 1`, nil, &n); err != nil {
		return "", fmt.Errorf("ledger changes: %w", err)
	}
	return "ledger/" + strconv.FormatInt(n, 10), nil
}

// findingQuery is the SQL of a ledger filter on the day's bucket bounds:
// base selects the filter without status and bucket (what the counts
// cover), list adds them. wide: every area a township or wider and no
// 责任人, so the list holds a large share of the findings (the counts come
// from the kept counts under the ledger's token, the page walks the order's
// index); one person's findings are few, and their link (0024) moves no
// ledger token.
type findingQuery struct {
	today, last10, last20 fupin.Date
	base, list            string
	baseArgs, listArgs    []any
	wide                  bool
}

func (q *findingQuery) bounds() string {
	return fmt.Sprintf("%s|%s|%s", q.today, q.last10, q.last20)
}

func (q *findingQuery) build(actor fupin.Actor, f FindingFilter) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	areas := actor.Narrow(f.Area)
	where := findingAreaCond(areas, arg)
	if f.InspectionID != 0 {
		where += " AND f.inspection_id = " + arg(f.InspectionID)
	}
	if f.Category != "" {
		where += " AND f.category = " + arg(f.Category)
	}
	if f.CadreID != 0 {
		where += " AND f.responsible_cadre_id = " + arg(f.CadreID)
	}
	q.base, q.baseArgs, q.wide = where, slices.Clone(args), wideArea(areas) && f.CadreID == 0
	switch f.Status {
	case "":
	case "open":
		where += " AND f.status <> " + arg(ledger.StatusClosed)
	default:
		where += " AND f.status = " + arg(f.Status)
	}
	if f.Bucket != "" {
		where += " AND f.status <> " + arg(ledger.StatusClosed) + " AND f.deadline IS NOT NULL"
		switch f.Bucket {
		case ledger.BucketOverdue:
			where += " AND f.deadline < " + arg(q.today)
		case ledger.BucketWithin10:
			where += " AND f.deadline >= " + arg(q.today) + " AND f.deadline <= " + arg(q.last10)
		case ledger.BucketWithin20:
			where += " AND f.deadline > " + arg(q.last10) + " AND f.deadline <= " + arg(q.last20)
		case ledger.BucketLater:
			where += " AND f.deadline > " + arg(q.last20)
		}
	}
	q.list, q.listArgs = where, args
}

// countCells counts the filter's findings per status and bucket (0: no
// deadline, then the index in ledger.Buckets plus one) in one pass. A
// township or wider sums the kept counts (ledger_finding_counts, migration
// 0032: a row per area, inspection, category, status and deadline day, the
// filter's columns under the same names); a village's list also counts the
// township findings naming its households, so it reads the findings.
func (tx *Tx) countCells(ctx context.Context, q findingQuery) (ledgerCells, error) {
	if q.wide {
		return tx.countCellsOn(ctx, q, "ledger_finding_counts", "f.dated = 0", "CAST(SUM(f.n) AS BIGINT)")
	}
	return tx.countCellsOn(ctx, q, "ledger_findings", "f.deadline IS NULL", "COUNT(*)")
}

func (tx *Tx) countCellsOn(ctx context.Context, q findingQuery, table, undated, count string) (ledgerCells, error) {
	args := slices.Clone(q.baseArgs)
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	rows, err := tx.QueryContext(ctx, `SELECT f.status, CASE WHEN `+undated+` THEN 0 WHEN f.deadline < `+arg(q.today)+` THEN 1
		WHEN f.deadline <= `+arg(q.last10)+` THEN 2 WHEN f.deadline <= `+arg(q.last20)+` THEN 3 ELSE 4 END AS b,
		`+count+` FROM `+table+` f WHERE `+q.base+` GROUP BY f.status, b`, args...)
	if err != nil {
		return nil, fmt.Errorf("count findings: %w", err)
	}
	defer rows.Close()
	cells := ledgerCells{}
	for rows.Next() {
		var c ledgerCell
		var n int
		if err := rows.Scan(&c.status, &c.bucket, &n); err != nil {
			return nil, fmt.Errorf("scan counts: %w", err)
		}
		cells[c] += n
	}
	return cells, rows.Err()
}

// queryer is a pool or a transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// findingRows reads the page of the list's order.
func (db *DB) findingRows(ctx context.Context, on queryer, q findingQuery, f FindingFilter, today fupin.Date) ([]ledger.Finding, error) {
	where := q.list
	if db.dialect == SQLite && q.wide {
		// A township or wider holds most findings: walk the order's
		// index (ledger_findings_due) and filter, rather than sort
		// every finding of the area; unary + keeps SQLite off the area
		// index. PostgreSQL's statistics choose by themselves.
		where = strings.ReplaceAll(where, "f.area_code", "+f.area_code")
	}
	rows, err := on.QueryContext(ctx, `SELECT `+findingCols+` FROM ledger_findings f WHERE `+where+
		fmt.Sprintf(` ORDER BY f.deadline IS NULL, f.deadline, f.id LIMIT %d OFFSET %d`, f.Limit, f.Offset), db.customPlan(q.listArgs)...)
	if err != nil {
		return nil, fmt.Errorf("list findings: %w", err)
	}
	defer rows.Close()
	out := []ledger.Finding{}
	for rows.Next() {
		it, err := scanFinding(rows)
		if err != nil {
			return nil, fmt.Errorf("scan finding: %w", err)
		}
		it.Bucket = ledger.Bucket(it.Status, it.Deadline.Time(), today.Time(), db.WorkingDays)
		out = append(out, *it)
	}
	return out, rows.Err()
}

// findingAreaCond selects the findings of ledger_findings f within the
// prefixes: those whose area is inside one, and, for a prefix narrower
// than a township (a village), the township-level findings of its
// township that name a household of that village, so that a village's
// list shows every finding that involves its households.
func findingAreaCond(prefixes []string, arg func(any) string) string {
	cond := areaCond("f.area_code", prefixes, arg)
	var ors []string
	for _, p := range prefixes {
		if len(p) <= 9 {
			continue
		}
		village := "h.village_code = " + arg(p)
		if len(p) < 12 {
			village = "h.village_code >= " + arg(p) + " AND h.village_code < " + arg(p+":")
		}
		ors = append(ors, "(f.area_code = "+arg(p[:9])+` AND EXISTS (SELECT 1 FROM ledger_finding_households fh
			JOIN households h ON h.id = fh.household_id WHERE fh.finding_id = f.id AND `+village+"))")
	}
	if len(ors) == 0 {
		return cond
	}
	return "(" + cond + " OR " + strings.Join(ors, " OR ") + ")"
}

// wideArea reports whether every prefix is a township or wider (a list
// there holds a large share of the findings it can see).
func wideArea(prefixes []string) bool {
	for _, p := range prefixes {
		if len(p) > 9 {
			return false
		}
	}
	return len(prefixes) > 0
}
