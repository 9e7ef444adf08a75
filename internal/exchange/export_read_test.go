package exchange_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"fupin/internal/dbtest"
	"fupin/internal/exchange"
	"fupin/internal/fupin"
	"fupin/internal/layout"
	"fupin/internal/sqlstore"
)

// TestExportMatchesStoredHouseholds checks the export's own read of the
// store (dates selected as text, no timestamps; see sqlstore.EachHousehold)
// against the households as db.Household reads them, cell by cell, on both
// engines; the data must fill every date column of the layout somewhere.
func TestExportMatchesStoredHouseholds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		loadDemo(t, db, 300)
		var ids []int64
		for off := 0; ; off += 500 {
			page, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Area: "500236266", Limit: 500, Offset: off})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range page.Items {
				ids = append(ids, h.ID)
			}
			if len(page.Items) < 500 {
				break
			}
		}
		slices.Sort(ids) // the export's order
		var want bytes.Buffer
		if _, err := exchange.WriteHouseholds(&want, "xlsx", func(emit func(*fupin.Household) error) error {
			for _, id := range ids {
				h, err := db.Household(ctx, admin, id)
				if err != nil {
					return err
				}
				if err := emit(h); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		wantPath := filepath.Join(t.TempDir(), "want.xlsx")
		if err := os.WriteFile(wantPath, want.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		got, wantRows := readAll(t, export(t, db, "xlsx")), readAll(t, wantPath)
		if len(ids) != 300 || len(got) < 300 {
			t.Fatalf("%d households, %d rows exported", len(ids), len(got))
		}
		if diff := cmp.Diff(wantRows, got); diff != "" {
			t.Errorf("export differs from the stored households (-want +got):\n%s", diff)
		}
		// The households themselves, but for what the export's read leaves
		// out: timestamps and income detail lines.
		i := 0
		ignore := cmp.Options{
			cmpopts.IgnoreFields(fupin.Household{}, "CreatedAt", "UpdatedAt", "DeletedAt"),
			cmpopts.IgnoreFields(fupin.IncomeYear{}, "UpdatedAt", "Items"),
			cmpopts.EquateEmpty(),
		}
		if err := db.EachHousehold(ctx, admin, "500236266", func(h *fupin.Household) error {
			want, err := db.Household(ctx, admin, ids[i])
			if err != nil {
				return err
			}
			if diff := cmp.Diff(want, h, ignore); diff != "" {
				t.Errorf("EachHousehold, household %d (-Household +EachHousehold):\n%s", want.ID, diff)
			}
			i++
			return nil
		}); err != nil || i != len(ids) {
			t.Fatalf("EachHousehold: %d households, %v", i, err)
		}
		header := layout.ExportHeader()
		for _, name := range []string{"首次识别时间", "风险识别时间", "风险消除时间", "脱贫时间", "加入日期", "减员日期", "两不愁核查日期", "收入年度", "人均纯收入"} {
			col := slices.Index(header, name)
			filled := slices.ContainsFunc(got[1:], func(row []string) bool { return col >= 0 && col < len(row) && row[col] != "" })
			if !filled {
				t.Errorf("no exported row fills %s: the test data does not cover it", name)
			}
		}
	})
}
