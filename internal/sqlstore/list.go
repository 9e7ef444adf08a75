package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"fupin/internal/fupin"
)

// HouseholdPage is one page of a household list and the total that matched.
type HouseholdPage struct {
	Items []fupin.Household `json:"items"`
	Total int               `json:"total"`
}

// ListHouseholds returns the households matching f inside the actor's
// areas, without members or income. Errors: invalid (bad filter).
func (db *DB) ListHouseholds(ctx context.Context, actor fupin.Actor, f fupin.HouseholdFilter) (HouseholdPage, error) {
	page := HouseholdPage{Items: []fupin.Household{}}
	if err := f.Validate(); err != nil {
		return page, err
	}
	token, err := db.dataToken(ctx)
	if err != nil {
		return page, err
	}
	return db.listHouseholds(ctx, actor, f, token)
}

// listHouseholds is ListHouseholds for a validated filter under the data
// token token.
func (db *DB) listHouseholds(ctx context.Context, actor fupin.Actor, f fupin.HouseholdFilter, token string) (HouseholdPage, error) {
	page := HouseholdPage{Items: []fupin.Household{}}
	key := totalKey(actor, f)
	total, cached := db.totals.peek(key, token)
	if !cached && strings.TrimSpace(f.Query) == "" {
		var err error
		if total, err = db.villageTotal(ctx, actor, f); err != nil {
			return page, err
		}
		cached = true
	}
	if cached {
		// One statement reads one snapshot: no transaction needed.
		page.Total = total
		if total == 0 || f.Offset >= total {
			return page, nil
		}
		err := db.retryRead(ctx, db.read, pgPoolConns, func() error {
			page.Items = page.Items[:0]
			walk, err := db.walkSortIndex(ctx, db.read, actor, f, total)
			if err != nil {
				return err
			}
			q, args := db.pageQuery(actor, f, walk)
			rows, err := db.readPage(ctx, q, args)
			if err != nil {
				return fmt.Errorf("list households: %w", err)
			}
			return scanPage(rows, &page)
		})
		return page, err
	}
	where, args := householdWhere(actor, f)
	err := db.view(ctx, actor, func(tx *Tx) error {
		page.Items = page.Items[:0]
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM households h WHERE `+where, db.customPlan(args)...).Scan(&page.Total); err != nil {
			return fmt.Errorf("count households: %w", err)
		}
		db.totals.put(key, token, page.Total)
		if page.Total == 0 || f.Offset >= page.Total {
			return nil
		}
		// On the transaction's connection: asking the pool for a second
		// one while holding this one deadlocks once every reader does.
		walk, err := db.walkSortIndex(ctx, tx, actor, f, page.Total)
		if err != nil {
			return err
		}
		q, args := db.pageQuery(actor, f, walk)
		rows, err := tx.QueryContext(ctx, q, db.customPlan(args)...)
		if err != nil {
			return fmt.Errorf("list households: %w", err)
		}
		return scanPage(rows, &page)
	})
	return page, err
}

// readPage runs a list's page statement outside a transaction: on SQLite
// as the connection's kept prepared statement (stmt_cache.go: parsing and
// planning cost more than running), on PostgreSQL planned for its values
// (customPlan).
func (db *DB) readPage(ctx context.Context, q string, args []any) (*sql.Rows, error) {
	return db.read.QueryContext(ctx, q, db.customPlan(args)...)
}

// customPlan makes PostgreSQL plan a statement of an area-range list for
// the values it runs with (an unnamed statement, parsed, bound and run in
// one round trip) instead of the generic plan a prepared statement (pgx
// caches every statement per connection) switches to after five runs: for
// a range [p, p+":") that plan cannot know whether the area is a village
// or the county and guesses a few rows, so it picks plans that read every
// row of the area. Measured on PostgreSQL 15 with a township of 20,000
// households (BenchmarkListPlans shows the switch; EXPLAIN ANALYZE, shared
// buffers custom vs generic): household page 69 vs 211, visits count 239
// vs 11,100 and page 1,129 vs 46,967, pairings count 291 vs 36,470 and
// page 7,403 vs 12,199, ledger page 52 vs 322 (0.03 vs 3.2 ms). The
// monitoring case list reads every open case of the area either way (it
// pages in Go) and is left to the cached plan. args are the statement's
// arguments; SQLite gets them unchanged.
func (db *DB) customPlan(args []any) []any {
	if db.dialect != Postgres {
		return args
	}
	return append([]any{pgx.QueryExecModeExec}, args...)
}

// pageQuery selects one page of a filtered list: the page's ids first, from
// the narrow indexes alone (index-only on PostgreSQL), then their rows:
// PostgreSQL otherwise walks the primary key, assuming a village's
// households are spread evenly.
func (db *DB) pageQuery(actor fupin.Actor, f fupin.HouseholdFilter, walk bool) (string, []any) {
	if q, args, ok := searchPageQuery(db.dialect, actor, f); ok {
		return q, args
	}
	village := "h.village_code"
	if walk {
		village = "+h.village_code"
	}
	where, args := householdWhereOn(village, actor, f)
	order := orderBy(f.Sort)
	limit := "$" + itoa(len(args)+1)
	offset := "$" + itoa(len(args)+2)
	return householdSelect + ` WHERE h.id IN (SELECT h.id FROM households h WHERE ` + where +
		` ORDER BY ` + order + ` LIMIT ` + limit + ` OFFSET ` + offset + `) ORDER BY ` + order, append(args, f.Limit, f.Offset)
}

// searchPageQuery is pageQuery for a search in id order on PostgreSQL: the
// matches' distinct ids in order first, then their households, checked
// for area and filter one by one until the page is full. PostgreSQL
// otherwise checks every match (a county's 龚: 2,000 households of 100,000,
// 33 ms, against 2 ms so, EXPLAIN ANALYZE). SQLite reads its rows faster
// than it sorts the matches a second time and keeps pageQuery's form. ok
// is false when the form does not apply.
func searchPageQuery(d Dialect, actor fupin.Actor, f fupin.HouseholdFilter) (string, []any, bool) {
	q := strings.TrimSpace(f.Query)
	sort := strings.TrimPrefix(f.Sort, "-")
	if d != Postgres || q == "" || sort != "" && sort != "id" {
		return "", nil, false
	}
	rest := f
	rest.Query = ""
	where, args := householdWhere(actor, rest)
	arg := func(v any) string {
		args = append(args, v)
		return "$" + itoa(len(args))
	}
	matches := searchMatches(q, f.Deleted, !f.NoIDSearch, arg)
	if matches == "" {
		return "", nil, false
	}
	dir := " ASC"
	if strings.HasPrefix(f.Sort, "-") {
		dir = " DESC"
	}
	return householdSelect + ` WHERE h.id IN (SELECT m.id FROM (SELECT DISTINCT s.id FROM (` + matches + `) AS s(id) ORDER BY 1` + dir +
		`) m JOIN households h ON h.id = m.id WHERE ` + where + ` ORDER BY m.id` + dir + ` LIMIT ` + arg(f.Limit) + ` OFFSET ` + arg(f.Offset) +
		`) ORDER BY h.id` + dir, args, true
}

// scanPage appends the households of rows to the page and closes rows.
func scanPage(rows *sql.Rows, page *HouseholdPage) error {
	defer rows.Close()
	for rows.Next() {
		h, err := scanHousehold(rows)
		if err != nil {
			return fmt.Errorf("scan household: %w", err)
		}
		page.Items = append(page.Items, *h)
	}
	return rows.Err()
}

// householdWhere builds the WHERE clause for a filter. Areas become byte
// ranges [p, p+":") on village_code so that an index serves them on both
// engines (":" sorts right after "9").
func householdWhere(actor fupin.Actor, f fupin.HouseholdFilter) (string, []any) {
	return householdWhereOn("h.village_code", actor, f)
}

// householdWhereOn is householdWhere with the area on the expression
// village: "+h.village_code" keeps SQLite from choosing the area index,
// so that it walks the sort's index instead (walkSortIndex).
func householdWhereOn(village string, actor fupin.Actor, f fupin.HouseholdFilter) (string, []any) {
	return householdWhereIn(func(arg func(any) string) string { return areaCond(village, actor.Narrow(f.Area), arg) }, f)
}

// householdWhereIn is householdWhere with the area condition area (its
// arguments added through arg) instead of the filter's area.
func householdWhereIn(area func(arg func(any) string) string, f fupin.HouseholdFilter) (string, []any) {
	var conds []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + itoa(len(args))
	}
	if f.Deleted {
		conds = append(conds, "h.deleted_at IS NOT NULL")
	} else {
		conds = append(conds, "h.deleted_at IS NULL")
	}
	conds = append(conds, area(arg))
	for _, c := range [...]struct{ col, v string }{{"h.household_type", f.Type}, {"h.poverty_attr", f.PovertyAttr}, {"h.monitor_type", f.MonitorType}} {
		if c.v != "" { // in a fixed order: the text names a prepared statement
			conds = append(conds, c.col+" = "+arg(c.v))
		}
	}
	if f.Monitored {
		conds = append(conds, "h.monitor_type <> ''")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		conds = append(conds, searchCond(q, f.Deleted, !f.NoIDSearch, arg))
	}
	return strings.Join(conds, " AND "), args
}

func areaCond(col string, prefixes []string, arg func(any) string) string {
	if len(prefixes) == 0 {
		return "1 = 0"
	}
	var ors []string
	for _, p := range prefixes {
		if p == "" {
			return "1 = 1"
		}
		if len(p) == 12 { // a village: equality lets the index also give id order
			ors = append(ors, col+" = "+arg(p))
			continue
		}
		ors = append(ors, "("+col+" >= "+arg(p)+" AND "+col+" < "+arg(p+":")+")")
	}
	return "(" + strings.Join(ors, " OR ") + ")"
}

// orderBy builds the ORDER BY clause; id breaks ties so pages are stable.
func orderBy(sort string) string {
	dir := " ASC"
	if strings.HasPrefix(sort, "-") {
		dir, sort = " DESC", sort[1:]
	}
	switch sort {
	case "", "id":
		return "h.id" + dir
	case "updated_at":
		return "h.updated_at" + dir + ", h.id" + dir
	default: // validated against fupin.HouseholdSorts
		return "h." + sort + dir + ", h.id" + dir
	}
}

// sortIndexed reports whether a live list over an area wider than one
// village, without a search, is best read by walking the index of its sort
// column (migration 0011) and checking the area on the way: SQLite would
// otherwise read the whole area through the area index and sort it. A
// village has indexes of its own; a search starts from its few matches.
func sortIndexed(actor fupin.Actor, f fupin.HouseholdFilter) bool {
	if f.Deleted || strings.TrimSpace(f.Query) != "" {
		return false
	}
	switch strings.TrimPrefix(f.Sort, "-") {
	case "village_code":
		return false // the area index is in this order
	}
	for _, p := range actor.Narrow(f.Area) {
		if len(p) != 12 {
			return true
		}
	}
	return false
}

// walkSortIndex decides, on SQLite, whether a page is read by walking its
// sort's index (see sortIndexed): worth it when the area holds at least a
// fiftieth of the live households, so that a page's rows come within a few
// thousand index entries; a smaller area is read through the area index
// and sorted. total is the list's total. The number of live households is
// only weighed against it, so it is kept for liveMaxAge whatever the
// writes (counting the whole table after each write cost more than the
// page), and counted on on (the caller's transaction when it has one: see
// scan_conn.go on holding one read connection while asking for another).
func (db *DB) walkSortIndex(ctx context.Context, on rowQueryer, actor fupin.Actor, f fupin.HouseholdFilter, total int) (bool, error) {
	if db.dialect != SQLite || !sortIndexed(actor, f) {
		return false, nil
	}
	const key = "all live households"
	all, ok := db.liveHouseholds.peek(key, "")
	if !ok {
		if err := on.QueryRowContext(ctx, `SELECT COUNT(*) FROM households WHERE deleted_at IS NULL`).Scan(&all); err != nil {
			return false, fmt.Errorf("count households: %w", err)
		}
		db.liveHouseholds.put(key, "", all)
	}
	return total*50 >= all, nil
}
