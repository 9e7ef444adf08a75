package exchange_test

import (
	"strings"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/exchange"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// totalsOnly blanks the income components of an export, keeping 人均纯收入
// (set to perCapita when not "") and, when year is false, blanking 收入年度.
func totalsOnly(rows [][]string, perCapita string, year bool) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = append([]string(nil), r...)
		if i == 0 {
			continue
		}
		for _, c := range []string{"工资性收入", "生产经营性收入", "财产性收入", "转移性收入", "生产经营性支出", "理赔收入", "合规自付支出", "家庭年纯收入"} {
			out[i][indexOf(rows[0], c)] = ""
		}
		if !year {
			out[i][indexOf(rows[0], "收入年度")] = ""
		}
		if perCapita != "" {
			out[i][indexOf(rows[0], "人均纯收入")] = perCapita
		}
	}
	return out
}

func incomesOf(t *testing.T, db *sqlstore.DB) map[string][]fupin.IncomeYear {
	t.Helper()
	page, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]fupin.IncomeYear{}
	for _, it := range page.Items {
		h, err := db.Household(ctx, admin, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		out[h.HouseholdNo] = h.Incomes
	}
	return out
}

// 人均纯收入 is read into the year's income: the year from 收入年度, the
// sheet's title, or the import's option; without any year the report says
// so and nothing is stored (was: no income at all, or 0.00 for everyone).
func TestImportPerCapitaIncome(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		src := dbtest.SQLite(t)
		loadDemo(t, src, 5)
		rows := readAll(t, export(t, src, "csv"))
		year := fupin.AssessmentYear(fupin.DateOf(timeNow()))
		for _, tc := range []struct {
			name  string
			rows  [][]string
			opts  exchange.ImportOptions
			store bool
		}{
			{"no year", totalsOnly(rows, "9800", false), exchange.ImportOptions{}, false},
			{"option", totalsOnly(rows, "9800", false), exchange.ImportOptions{IncomeYear: year}, true},
			{"column", withColumn(totalsOnly(rows, "9800", false), "收入年度", itoa(year)), exchange.ImportOptions{}, true},
			{"title", append([][]string{{itoa(year) + "年脱贫人口信息表"}}, totalsOnly(rows, "9800", false)...), exchange.ImportOptions{}, true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				dst := dbtest.SQLite(t)
				if strings.Contains(t.Name(), "/postgres/") {
					dst = dbtest.Postgres(t)
				}
				res, err := importFile(t, dst, writeCSV(t, tc.rows), tc.opts)
				if err != nil || res.Job.State != "done" || res.Job.Written != 5 || len(res.Errors) != 0 {
					t.Fatalf("import: %+v %+v %v", res.Job, res.Errors, err)
				}
				for no, ys := range incomesOf(t, dst) {
					switch {
					case !tc.store && len(ys) != 0:
						t.Errorf("%s: income stored without a year: %+v", no, ys)
					case tc.store && (len(ys) != 1 || ys[0].Year != year || ys[0].PerCapitaNet == nil || *ys[0].PerCapitaNet != 980000):
						t.Errorf("%s: incomes %+v, want %d with 人均纯收入 9800.00", no, ys, year)
					}
				}
				if !tc.store && (len(res.Warnings) != 5 || !strings.Contains(res.Warnings[0].Reason, "未给出收入年度") || res.Warnings[0].Column != "人均纯收入") {
					t.Errorf("warnings without a year: %+v", res.Warnings)
				}
				if tc.store && len(res.Warnings) != 0 {
					t.Errorf("warnings: %+v", res.Warnings)
				}
			})
		}
	})
}

// Into a registry that holds the components: a file total that agrees
// keeps them (no change); one that disagrees keeps them too and is a
// warning on the household's row.
func TestImportIncomeTotalAgainstStoredDetails(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		loadDemo(t, db, 5)
		rows := readAll(t, export(t, db, "csv"))
		before := incomesOf(t, db)
		same := totalsOnly(rows, "", true)
		res, err := importFile(t, db, writeCSV(t, same), exchange.ImportOptions{})
		if err != nil || res.Job.Unchanged != 5 || len(res.Warnings) != 0 {
			t.Fatalf("agreeing totals: %+v %+v %v", res.Job, res.Warnings, err)
		}
		off := totalsOnly(rows, "", true)
		pc := indexOf(rows[0], "人均纯收入")
		for _, r := range off[1:] {
			if r[pc] != "" {
				r[pc] = "1.00"
			}
		}
		res, err = importFile(t, db, writeCSV(t, off), exchange.ImportOptions{})
		if err != nil || res.Job.Unchanged != 5 || len(res.Warnings) == 0 || res.Warnings[0].Row < 2 ||
			!strings.Contains(res.Warnings[0].Reason, "已保留系统中的分项收入") || res.Job.Warnings != len(res.Warnings) {
			t.Fatalf("disagreeing totals: %+v %+v %v", res.Job, res.Warnings, err)
		}
		if diff := incomesOf(t, db); len(diff) != len(before) {
			t.Fatal("households changed")
		}
		for no, ys := range incomesOf(t, db) {
			if len(ys) != len(before[no]) || (len(ys) > 0 && ys[0].Wage != before[no][0].Wage) {
				t.Errorf("%s: components not kept: %+v, was %+v", no, ys, before[no])
			}
		}
	})
}

// withColumn sets a column on every data row.
func withColumn(rows [][]string, col, v string) [][]string {
	for _, r := range rows[1:] {
		r[indexOf(rows[0], col)] = v
	}
	return rows
}
