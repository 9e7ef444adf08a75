package exchange_test

import (
	"strings"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/exchange"
	"fupin/internal/idcard"
	"fupin/internal/sqlstore"
)

// newID returns a valid 18-character ID number built from seq.
func newID(seq int) string {
	first17 := "50023619900101" + strings.Repeat("0", 3-len(itoa(seq%1000))) + itoa(seq%1000)
	return first17 + string(idcard.CheckChar(first17))
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// householdRows splits an export's data rows by 户编号, in file order.
func householdRows(rows [][]string) (nos []string, by map[string][][]string) {
	col := indexOf(rows[0], "户编号")
	by = map[string][][]string{}
	for _, r := range rows[1:] {
		if _, ok := by[r[col]]; !ok {
			nos = append(nos, r[col])
		}
		by[r[col]] = append(by[r[col]], r)
	}
	return nos, by
}

// A file that adds a member to an existing household and brings a new
// household: the ids the load gives the new household's members must not
// collide with the id the merge gives the added member (was UNIQUE
// constraint failed: members.id / members_pkey, with SQL in the message).
func TestImportUpdateAndAddInOneFile(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		src := dbtest.SQLite(t)
		loadDemo(t, src, 12)
		rows := readAll(t, export(t, src, "csv"))
		hdr := rows[0]
		nos, by := householdRows(rows)
		// The registry holds every household but the last.
		first := [][]string{hdr}
		for _, no := range nos[:len(nos)-1] {
			first = append(first, by[no]...)
		}
		if res, err := importFile(t, db, writeCSV(t, first), exchange.ImportOptions{}); err != nil || res.Job.State != "done" {
			t.Fatalf("first import: %+v %v", res.Job, err)
		}
		// One existing household gains a child; the last household is new.
		grown := append([][]string{}, by[nos[0]]...)
		child := append([]string(nil), grown[len(grown)-1]...)
		child[indexOf(hdr, "姓名")] = "新生儿"
		child[indexOf(hdr, "证件号码")] = newID(7)
		child[indexOf(hdr, "与户主关系")] = "之子"
		child[indexOf(hdr, "人编号")] = ""
		for _, c := range []string{"减员日期", "减员原因", "减员说明", "加入日期", "加入原因"} {
			child[indexOf(hdr, c)] = ""
		}
		grown = append(grown, child)
		second := append([][]string{hdr}, grown...)
		second = append(second, by[nos[len(nos)-1]]...)
		for _, r := range second[1:] {
			r[indexOf(hdr, "人数")] = ""
		}
		res, err := importFile(t, db, writeCSV(t, second), exchange.ImportOptions{})
		if err != nil || res.Job.State != "done" || res.Job.Written != 1 || res.Job.Updated != 1 {
			t.Fatalf("update and add in one file: %+v %v %v", res.Job, res.Errors, err)
		}
		if n := countHouseholds(t, db); n != len(nos) {
			t.Errorf("%d households after the import, want %d", n, len(nos))
		}
	})
}
