package sqlstore

import (
	"context"
	"fmt"

	"fupin/internal/fupin"
)

// List totals are memoised per filter (without paging and sort) and the
// caller's narrowed areas (db.totals, a memo), valid while the data token
// they were counted under holds (see dataToken): paging through a list, or
// opening a village's first page again, no longer counts every matching
// household.
const totalMaxEntries = 4096

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
