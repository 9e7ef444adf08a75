package sqlstore

import (
	"context"
	"fmt"
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
	if f.Bucket != "" && !ledger.Known(ledger.Buckets, f.Bucket) {
		errs.Add("bucket", "期限分组应为 overdue、within_10、within_20 或 later")
	}
	if f.Category != "" && !ledger.Known(ledger.Categories, f.Category) {
		errs.Add("category", "问题类别不在代码表中："+f.Category)
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
// date ranges computed from db.WorkingDays, so one indexed query serves
// them. Errors: invalid.
func (db *DB) Findings(ctx context.Context, actor fupin.Actor, f FindingFilter) (FindingPage, error) {
	page := FindingPage{Items: []ledger.Finding{}, Buckets: map[string]int{}, Statuses: map[string]int{}}
	if err := f.validate(); err != nil {
		return page, err
	}
	token, err := db.dataToken(ctx)
	if err != nil {
		return page, err
	}
	err = db.view(ctx, actor, func(tx *Tx) error {
		today := tx.today()
		last10, last20 := ledger.BucketBounds(today.Time(), db.WorkingDays)
		bounds := fmt.Sprintf("%s|%s|%s", today, fupin.DateOf(last10), fupin.DateOf(last20))
		countsKey, totalKey := ledgerCountsKey(actor, f, bounds), ledgerTotalKey(actor, f, bounds)
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		where := findingAreaCond(actor.Narrow(f.Area), arg)
		if f.InspectionID != 0 {
			where += " AND f.inspection_id = " + arg(f.InspectionID)
		}
		if f.Category != "" {
			where += " AND f.category = " + arg(f.Category)
		}
		base, baseArgs := where, args
		// One CASE per row gives its bucket (0: no deadline); closed
		// findings are counted by status only (countFindings).
		q := `SELECT f.status, CASE WHEN f.deadline IS NULL THEN 0 WHEN f.deadline < ` + arg(today) + ` THEN 1
			WHEN f.deadline <= ` + arg(fupin.DateOf(last10)) + ` THEN 2 WHEN f.deadline <= ` + arg(fupin.DateOf(last20)) + ` THEN 3 ELSE 4 END AS b,
			COUNT(*) FROM ledger_findings f WHERE ` + where + ` GROUP BY f.status, b`
		if e, ok := db.ledgerCounts.get(countsKey, token); ok {
			page.Buckets, page.Statuses = e.buckets, e.statuses
		} else if err := tx.countFindings(ctx, q, args, &page); err != nil {
			return err
		} else {
			db.ledgerCounts.put(countsKey, ledgerCacheEntry{token: token, buckets: page.Buckets, statuses: page.Statuses})
		}
		where, args = base, append([]any(nil), baseArgs...)
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
				where += " AND f.deadline < " + arg(today)
			case ledger.BucketWithin10:
				where += " AND f.deadline >= " + arg(today) + " AND f.deadline <= " + arg(fupin.DateOf(last10))
			case ledger.BucketWithin20:
				where += " AND f.deadline > " + arg(fupin.DateOf(last10)) + " AND f.deadline <= " + arg(fupin.DateOf(last20))
			case ledger.BucketLater:
				where += " AND f.deadline > " + arg(fupin.DateOf(last20))
			}
		}
		if e, ok := db.ledgerCounts.get(totalKey, token); ok {
			page.Total = e.total
		} else if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ledger_findings f WHERE `+where, args...).Scan(&page.Total); err != nil {
			return fmt.Errorf("count findings: %w", err)
		} else {
			db.ledgerCounts.put(totalKey, ledgerCacheEntry{token: token, total: page.Total})
		}
		if db.dialect == SQLite && wideArea(actor.Narrow(f.Area)) {
			// A township or wider holds most findings: walk the order's
			// index (ledger_findings_due) and filter, rather than sort
			// every finding of the area; unary + keeps SQLite off the area
			// index. PostgreSQL's statistics choose by themselves.
			where = strings.ReplaceAll(where, "f.area_code", "+f.area_code")
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+findingCols+` FROM ledger_findings f WHERE `+where+
			fmt.Sprintf(` ORDER BY f.deadline IS NULL, f.deadline, f.id LIMIT %d OFFSET %d`, f.Limit, f.Offset), args...)
		if err != nil {
			return fmt.Errorf("list findings: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			it, err := scanFinding(rows)
			if err != nil {
				return fmt.Errorf("scan finding: %w", err)
			}
			it.Bucket = ledger.Bucket(it.Status, it.Deadline.Time(), today.Time(), db.WorkingDays)
			page.Items = append(page.Items, *it)
		}
		return rows.Err()
	})
	return page, err
}

func (tx *Tx) countFindings(ctx context.Context, q string, args []any, page *FindingPage) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("count findings: %w", err)
	}
	defer rows.Close()
	for _, c := range ledger.Buckets {
		page.Buckets[c.Key] = 0
	}
	for rows.Next() {
		var status string
		var b, n int
		if err := rows.Scan(&status, &b, &n); err != nil {
			return fmt.Errorf("scan counts: %w", err)
		}
		page.Statuses[status] += n
		if status != ledger.StatusClosed && b > 0 && b <= len(ledger.Buckets) {
			page.Buckets[ledger.Buckets[b-1].Key] += n
		}
	}
	return rows.Err()
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
