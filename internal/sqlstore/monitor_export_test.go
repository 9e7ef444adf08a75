package sqlstore

import "context"

// CurrentIDNumbers lists up to limit ID numbers of current members, for
// the department-list benchmark.
func (db *DB) CurrentIDNumbers(ctx context.Context, limit int) ([]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id_number FROM members WHERE is_current ORDER BY id LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// DeptScanRows is the list size from which department-list matching walks
// the members table instead of looking each ID up.
const DeptScanRows = deptScanRows
