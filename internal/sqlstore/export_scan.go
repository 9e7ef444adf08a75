package sqlstore

import (
	"database/sql"
	"strings"

	"fupin/internal/fupin"
)

// exportScan is what the export reads: every column the national layout
// writes, with DATE columns selected as text (fupin.Date.Scan has a fast
// path for 'YYYY-MM-DD'; modernc would otherwise parse each into a
// time.Time trying several layouts, and PostgreSQL prints DATE that way
// with the default DateStyle ISO, as the assessment's leanScan relies on)
// and without the timestamps (created_at, updated_at, deleted_at), which
// the layout does not carry: a village's export scanned some 40,000 dates
// and 10,000 timestamps that way.
var exportScan = scanSet{
	`SELECT h.id, ` + textDates(householdCols, "identified_on", "exited_on", "monitor_identified_on",
		"risk_eliminated_on", "basics_checked_on") + `, h.head_name, h.size, h.version FROM households h`,
	scanExportHousehold,
	`SELECT id, household_id, ` + textDates(memberCols, "birth_date", "joined_on", "left_on") + ` FROM members`,
	scanMemberInto,
	`SELECT household_id, ` + strings.Replace(incomeCols, "items", "'[]'", 1) + ` FROM incomes`,
	scanExportIncome,
}

// textDates returns the comma-separated column list cols with the named
// columns wrapped in CAST(… AS TEXT).
func textDates(cols string, names ...string) string {
	list := strings.Split(cols, ",")
	for i, c := range list {
		for _, n := range names {
			if strings.TrimSpace(c) == n {
				list[i] = strings.Replace(c, n, "CAST("+n+" AS TEXT)", 1)
			}
		}
	}
	return strings.Join(list, ",")
}

// scanExportHousehold scans a row of exportScan: a household without its
// timestamps and delete reason (exports read live households).
func scanExportHousehold(row scanner) (*fupin.Household, error) {
	var h fupin.Household
	var no *string
	var risks string
	if err := row.Scan(append(householdDest(&h, &no, &risks), &h.HeadName, &h.Size, &h.Version)...); err != nil {
		return nil, err
	}
	finishHousehold(&h, no, risks)
	return &h, nil
}

// scanExportIncome scans a row of exportScan: an income year without
// updated_at.
func scanExportIncome(row scanner, y *fupin.IncomeYear) error {
	var items string
	var declared sql.NullInt64
	err := row.Scan(&y.HouseholdID, &y.Year, &y.Wage, &y.Business, &y.Property, &y.Transfer,
		&y.BusinessExpense, &y.Claims, &y.EligibleOutOfPocket, &items, &declared)
	if err != nil {
		return err
	}
	return finishIncome(y, items, declared)
}
