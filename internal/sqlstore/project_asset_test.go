package sqlstore_test

import (
	"testing"
	"time"

	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/project"
	"fupin/internal/sqlstore"
)

// TestAssetRegister: an asset is registered only from an accepted project,
// in its village; the yearly check replaces that year's, moves the asset's
// status and feeds the register's totals; other villages do not see it.
func TestAssetRegister(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		db.Now = func() time.Time { return time.Date(2025, 11, 3, 2, 0, 0, 0, time.UTC) }
		county := fupin.Actor{Name: "奉节县", Areas: []string{"500236"}}
		township := fupin.Actor{Name: "平安乡", Areas: []string{pingan}}
		p, err := db.CreateProject(ctx, county, "county", newProject())
		if err != nil {
			t.Fatal(err)
		}
		a := project.Asset{ProjectID: p.ID, Name: "产业路", Kind: "public", Owner: "collective", Village: tiantai, Value: 100_000_00, Status: "operating"}
		if _, err := db.CreateAsset(ctx, township, "township", a); code(err) != fupin.EConflict {
			t.Fatalf("asset of a planned project: %v", err)
		}
		for _, kind := range []string{"approve", "start", "accept"} {
			if p, err = db.ActOnProject(ctx, county, "county", p.ID, sqlstore.ProjectAction{Kind: kind, Opinion: "合格", Version: p.Version}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.CreateAsset(ctx, township, "village", a); code(err) != fupin.EForbidden {
			t.Fatalf("village user registers: %v", err)
		}
		wrong := a
		wrong.Village = wenchang
		if _, err := db.CreateAsset(ctx, township, "township", wrong); fieldOf(err) != "village_code" {
			t.Fatalf("asset outside the project's village: %v", err)
		}
		got, err := db.CreateAsset(ctx, township, "township", a)
		if err != nil || got.ProjectName != p.Name || got.VillageName == "" {
			t.Fatalf("create %+v %v", got, err)
		}
		if _, err := db.CheckAsset(ctx, township, "township", got.ID, project.AssetCheck{Year: 2025, Income: 100, Shared: 200, Households: 1, Status: "operating"}); fieldOf(err) != "shared" {
			t.Fatalf("shared above income: %v", err)
		}
		for _, c := range []project.AssetCheck{
			{Year: 2025, Income: 5_000_00, Shared: 3_000_00, Households: 20, Status: "operating"},
			{Year: 2025, Income: 6_000_00, Shared: 4_000_00, Households: 25, Status: "idle", Note: "更正"},
		} {
			if _, err := db.CheckAsset(ctx, township, "township", got.ID, c); err != nil {
				t.Fatal(err)
			}
		}
		// Correcting an earlier year leaves the status the 2025 check set.
		if _, err := db.CheckAsset(ctx, township, "township", got.ID, project.AssetCheck{Year: 2023, Income: 0, Status: "operating"}); err != nil {
			t.Fatal(err)
		}
		reg, err := db.Assets(ctx, fupin.Actor{Name: "天台村", Areas: []string{tiantai}}, "", 2025)
		if err != nil || len(reg.Items) != 1 || reg.Income != 6_000_00 || reg.Shared != 4_000_00 || reg.Value != 100_000_00 ||
			reg.Items[0].Status != "idle" || reg.Items[0].Check == nil || reg.Items[0].Check.Households != 25 || reg.Unchecked != 0 {
			t.Fatalf("register %+v %v", reg, err)
		}
		if reg, err := db.Assets(ctx, county, pingan, 2024); err != nil || reg.Unchecked != 1 || reg.Items[0].Check != nil {
			t.Fatalf("register of an unchecked year %+v %v", reg, err)
		}
		if reg, err := db.Assets(ctx, fupin.Actor{Name: "文昌村", Areas: []string{wenchang}}, "", 2025); err != nil || len(reg.Items) != 0 {
			t.Fatalf("another village's register %+v %v", reg, err)
		}
		edit := *got
		edit.Version, edit.Value = got.Version, 1
		if _, err := db.UpdateAsset(ctx, township, "township", got.ID, edit); code(err) != fupin.EConflict {
			t.Fatalf("stale version (the check moved it): %v", err)
		}
	})
}
