package sqlstore

import (
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
