package sqlstore

import (
	"context"
	"fmt"
	"time"

	"fupin/internal/fupin"
)

// List totals are memoised per filter (without paging and sort) and the
// caller's narrowed areas (db.totals, a memo), valid while the token they
// were counted under holds (below; a search's: the data token): paging
// through a list, or opening a village's first page again, no longer
// counts every matching household.
const totalMaxEntries = 4096

// List totals without a search are counted per village (db.listTotals,
// village_memo.go) and kept per filter and narrowed areas while the digest
// of the area's village versions holds (areaDigest), so a write in one
// village recounts that village's matches, not the area's. A search's
// total, a count of its few matches, stays under the data token.
const (
	// totalPartsEntries bounds the per-village snapshots: filters × areas.
	totalPartsEntries = 1024
	// liveMaxAge is how long walkSortIndex's number of live households is
	// kept.
	liveMaxAge = 30 * time.Second
)

// villageTotal is the total of f (without a search) for actor: summed
// from each of the actor's villages' count of f, recounting only those
// whose version moved.
func (db *DB) villageTotal(ctx context.Context, actor fupin.Actor, f fupin.HouseholdFilter) (int, error) {
	prefixes := actor.Narrow(f.Area)
	digest, err := db.areaDigest(ctx, prefixes)
	if err != nil {
		return 0, err
	}
	key := totalKey(actor, f)
	if n, ok := db.totals.peek(key, digest); ok {
		return n, nil
	}
	f.Area, f.Offset, f.Limit, f.Sort = "", 0, 0, ""
	partsKey := fmt.Sprintf("%q|%+v", prefixes, f)
	var total int
	err = db.view(ctx, actor, func(tx *Tx) error {
		total = 0
		parts, err := villageParts(ctx, tx, db.listTotals, "primary", partsKey, prefixes, func(c villageCond) (map[string]int, error) {
			return db.countByVillage(ctx, tx, f, c)
		})
		for _, n := range parts {
			total += n
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	db.totals.put(key, digest, total)
	return total, nil
}

// countByVillage counts the households matching f (its area aside) in
// each village of cond.
func (db *DB) countByVillage(ctx context.Context, tx *Tx, f fupin.HouseholdFilter, cond villageCond) (map[string]int, error) {
	where, args := householdWhereIn(func(arg func(any) string) string { return cond("h.village_code", arg) }, f)
	rows, err := tx.QueryContext(ctx, `SELECT h.village_code, COUNT(*) FROM households h WHERE `+where+
		` GROUP BY h.village_code`, db.customPlan(args)...)
	if err != nil {
		return nil, fmt.Errorf("count households: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var v string
		var n int
		if err := rows.Scan(&v, &n); err != nil {
			return nil, fmt.Errorf("scan household counts: %w", err)
		}
		out[v] = n
	}
	return out, rows.Err()
}

// totalKey names a filter's total for an actor.
func totalKey(actor fupin.Actor, f fupin.HouseholdFilter) string {
	f.Offset, f.Limit, f.Sort = 0, 0, ""
	return fmt.Sprintf("%q|%+v", actor.Narrow(f.Area), f)
}

// Household list pages are memoised too, as the bytes the caller sends
// (db.pages, a memo): a village's first page is opened far more often than
// the registry changes, and a kept page costs the data token's one-row read
// and a map lookup instead of the page's query, scan and encoding. The
// token is read from the database on every request, so a write through any
// instance makes the next page fresh. Pages of more than pageMaxLimit rows
// are not kept, which bounds the memo to pageMaxEntries × pageMaxLimit rows
// (about 29 MB: a demo household encodes to 1.1 KB; 20 rows 22.5 KB).
const (
	pageMaxEntries = 256
	pageMaxLimit   = 100
)

// pageKey names a page of a filter for an actor: totalKey with the sort
// and paging.
func pageKey(actor fupin.Actor, f fupin.HouseholdFilter) string {
	return fmt.Sprintf("%q|%+v", actor.Narrow(f.Area), f)
}

// ListHouseholdsEncoded is ListHouseholds for an answer sent as is: it
// returns encode's encoding of the page, memoised per filter (search,
// sort and paging included) and the actor's narrowed areas while the data
// token holds. Two actors with the same narrowed areas and filter share
// the bytes, so encode must not depend on the actor, and whatever differs
// by role (identity masking) must be applied to the bytes afterwards, as
// httpapi's identityFilter does. Errors: invalid (bad filter), and
// encode's.
func (db *DB) ListHouseholdsEncoded(ctx context.Context, actor fupin.Actor, f fupin.HouseholdFilter, encode func(HouseholdPage) ([]byte, error)) ([]byte, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	token, err := db.dataToken(ctx)
	if err != nil {
		return nil, err
	}
	compute := func(ctx context.Context) ([]byte, error) {
		page, err := db.listHouseholds(ctx, actor, f, token)
		if err != nil {
			return nil, err
		}
		return encode(page)
	}
	if f.Limit > pageMaxLimit {
		return compute(ctx)
	}
	return db.pages.get(ctx, pageKey(actor, f), token, compute)
}
