package region

import "strings"

// defaultSearchLimit is the number of results Search returns when its limit
// is not positive.
const defaultSearchLimit = 20

// Search returns the regions whose name contains query, matched against both
// the short and the published name, restricted to codes that start with
// within (canonical or 12-digit padded; "" means the whole country, and an
// invalid within matches nothing). Provinces, cities, counties and townships
// are searched everywhere; villages only when within is at least a county
// code (6 or more digits), so that a search inflates at most one county.
// Results are ordered by level, then code, and cut at limit (20 if limit ≤ 0).
// A query that is empty after trimming white space matches nothing.
func Search(query, within string, limit int) []Region {
	q := strings.TrimSpace(query)
	if q == "" {
		return nil
	}
	if limit <= 0 {
		limit = defaultSearchLimit
	}
	w := ""
	if strings.TrimSpace(within) != "" {
		var err error
		if w, err = Normalize(within); err != nil {
			return nil
		}
	}
	idx, err := load()
	if err != nil {
		return nil
	}
	var out []Region
	match := func(rows []row, level int) bool {
		for _, r := range prefixRange(rows, w) {
			if strings.Contains(r.name, q) || (r.short != "" && strings.Contains(r.short, q)) {
				out = append(out, makeRegion(r, level))
				if len(out) == limit {
					return true
				}
			}
		}
		return false
	}
	for i, rows := range idx.levels {
		if codeLens[i] < len(w) {
			continue // a shorter code cannot start with within
		}
		if match(rows, i) {
			return out
		}
	}
	if len(w) >= codeLens[2] {
		if v, err := idx.villages(w[:codeLens[2]]); err == nil && v != nil {
			match(v.villages, 4)
		}
	}
	return out
}
