package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/region"
	"fupin/internal/sqlstore"
)

// migrationFixtures hold data as the program of each schema version wrote it (ids from the
// engine, as the program's own inserts and loads leave the sequences; the first row of a
// fresh table is 1): each runs
// right after its migration, in the SQL of that version (later migrations may change the
// tables, never these statements). A fixture is code, not a stored file: it is the same
// database a program of that version leaves, and it cannot go stale. When a migration
// changes a table a fixture fills, add the new version's data under the new name; never
// edit an old fixture (that is the upgrade being tested).
var migrationFixtures = map[string]func(t *testing.T, x fixtureExec){
	"0001_registry.sql": func(t *testing.T, x fixtureExec) {
		path, err := region.Path(tiantai)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range path {
			var parent any
			if r.ParentCode != "" {
				parent = r.ParentCode
			}
			x(`INSERT INTO regions (code, name, full_name, level, parent_code, vintage) VALUES ($1, $2, $3, $4, $5, $6)`,
				r.Code, r.Name, r.FullName, string(r.Level), parent, region.Vintage)
		}
		h := family(t, tiantai, 700)
		x(`INSERT INTO households (household_no, village_code, household_type, poverty_attr, identified_on, exited_on,
			housing_grade, water_supply, water_lpd, head_name, size, version, created_at, updated_at)
			VALUES ('FX-0001', $1, 'ex_poor', 'general', '2015-03-01', '2019-12-01', 'B', 'centralized', 60, $2, 3, 1, $3, $3)`,
			tiantai, h.Members[0].Name, fixtureTime)
		for i, m := range h.Members {
			x(`INSERT INTO members (household_id, name, id_number, relation, sex, birth_date, medical_insurance, is_current)
				VALUES (1, $1, $2, $3, $4, $5, 'resident', $6)`,
				m.Name, m.IDNumber, m.Relation, []string{"male", "female", "male"}[i], []string{"1965-03-04", "1968-08-12", "2012-01-01"}[i], true)
		}
		x(`INSERT INTO incomes (household_id, year, wage, transfer, updated_at) VALUES (1, 2025, 3600000, 120000, $1)`, fixtureTime)
	},
	"0002_policy.sql": func(t *testing.T, x fixtureExec) {
		x(`INSERT INTO policy_params (area, year, key, value, updated_at, updated_by) VALUES ('500236', 2025, 'water_min_lpd', '55', $1, '县管理员')`, fixtureTime)
	},
	"0003_auth.sql": func(t *testing.T, x fixtureExec) {
		x(`INSERT INTO users (username, display_name, role, password_hash, disabled, created_by, created_at, updated_at)
			VALUES ('laowang', '王股长', 'township', 'x', $1, 'cli', $2, $2)`, false, fixtureTime)
		x(`INSERT INTO user_areas (user_id, area) VALUES (1, '500236266')`)
		x(`INSERT INTO api_tokens (name, token_hash, role, areas, created_by, created_at)
			VALUES ('统计接口', 'hash-1', 'county', '500236', 'cli', $1)`, fixtureTime)
	},
	"0004_imports.sql": func(t *testing.T, x fixtureExec) {
		x(`INSERT INTO imports (file_name, actor, area, dry_run, skip_invalid, state, rows_read, households, valid, written, message, created_at, finished_at)
			VALUES ('台账2024.xlsx', 'cli', '500236266', $1, $1, 'done', 3, 1, 1, 1, '导入完成', $2, $2)`, false, fixtureTime)
	},
	// Findings stored before migration 0032 keeps the ledger's counts:
	// its backfill counts them (one without a deadline).
	"0013_ledger.sql": func(t *testing.T, x fixtureExec) {
		x(`INSERT INTO ledger_inspections (source, title, area_code, created_by, created_at, updated_at)
			VALUES ('inspection', '市委第三巡视组反馈意见', '500236266', 'cli', $1, $1)`, fixtureTime)
		x(`INSERT INTO ledger_findings (inspection_id, number, category, description, area_code, lead_unit, deadline, kind, status, created_at, updated_at)
			VALUES (1, '1', 'water', '部分农户饮水不稳定', '500236266200', '乡水利站', '2025-07-31', 'deadline', 'not_started', $1, $1),
			       (1, '2', 'conduct', '帮扶干部走访不实', '500236266', '乡纪委', NULL, 'long_term', 'long_term', $1, $1)`, fixtureTime)
	},
}

type fixtureExec func(query string, args ...any)

var fixtureTime = time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)

// TestMigrateFromEveryVersion builds, for every migration, the database a program of that
// schema version leaves (each earlier migration applied in turn, each version's fixture
// written right after its migration) and migrates it to the current schema on both
// engines: the data of every version is there and works — the household reads whole, is
// found by name (search terms are filled by migration 0011), counts on the dashboard and
// takes a change; the parameter, the user, the token and the import job are there.
func TestMigrateFromEveryVersion(t *testing.T) {
	names, err := sqlstore.MigrationNames(sqlstore.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	for k, from := range names {
		t.Run(from, func(t *testing.T) {
			dbtest.EachUnmigrated(t, func(t *testing.T, db *sqlstore.DB) {
				ctx := context.Background()
				for _, name := range names[:k+1] {
					if err := db.MigrateTo(ctx, name); err != nil {
						t.Fatal(err)
					}
					if fx := migrationFixtures[name]; fx != nil {
						fx(t, func(q string, args ...any) {
							t.Helper()
							if err := db.Exec(q, args...); err != nil {
								t.Fatalf("fixture of %s: %v\n%s", name, err, q)
							}
						})
					}
				}
				n, err := db.Migrate(ctx)
				if err != nil || n != len(names)-k-1 {
					t.Fatalf("migrate from %s: %d migrations, %v; want %d", from, n, err, len(names)-k-1)
				}
				checkFixtures(t, db, names[:k+1])
			})
		})
	}
}

// checkFixtures reads through the store what the fixtures of the applied versions wrote.
func checkFixtures(t *testing.T, db *sqlstore.DB, applied []string) {
	t.Helper()
	ctx := context.Background()
	has := func(name string) bool { return slices.Contains(applied, name) }
	if has("0001_registry.sql") {
		h, err := db.Household(ctx, admin, 1)
		if err != nil {
			t.Fatal(err)
		}
		if h.HouseholdNo != "FX-0001" || len(h.Members) != 3 || h.HeadName != "谭德明" {
			t.Errorf("household after migrating: no %q, %d members, head %q", h.HouseholdNo, len(h.Members), h.HeadName)
		}
		page, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Area: "500236266", Query: "德明", Limit: 10})
		if err != nil || page.Total != 1 {
			t.Errorf("search by name after migrating: %d, %v", page.Total, err)
		}
		d, err := db.Dashboard(ctx, admin, "500236266", 2025)
		if err != nil || d.Total.Households != 1 {
			t.Errorf("dashboard after migrating: %d households, %v", d.Total.Households, err)
		}
		h.Phone = "13800000000"
		if _, err := db.UpdateHousehold(ctx, admin, h); err != nil {
			t.Errorf("change after migrating: %v", err)
		}
		if _, err := db.CreateHousehold(ctx, admin, cleanFamily(t, 720)); err != nil {
			t.Errorf("new household after migrating: %v", err)
		}
	}
	if has("0002_policy.sql") {
		params, err := db.PolicyParams(ctx)
		found := false
		for _, p := range params {
			found = found || (p.Area == "500236" && p.Key == "water_min_lpd" && p.Value == "55")
		}
		if err != nil || !found {
			t.Errorf("policy parameter after migrating: %+v, %v", params, err)
		}
	}
	if has("0003_auth.sql") {
		users, err := db.Users(ctx, admin)
		if err != nil || len(users) != 1 || users[0].Username != "laowang" || fmt.Sprint(users[0].Areas) != "[500236266]" {
			t.Errorf("users after migrating: %+v, %v", users, err)
		}
		toks, err := db.Tokens(ctx)
		if err != nil || len(toks) != 1 || toks[0].Name != "统计接口" {
			t.Errorf("tokens after migrating: %+v, %v", toks, err)
		}
	}
	if has("0013_ledger.sql") {
		page, err := db.Findings(ctx, admin, sqlstore.FindingFilter{Area: "500236266"})
		if err != nil || page.Total != 2 || page.Statuses["long_term"] != 1 || len(page.Items) != 2 {
			t.Errorf("findings after migrating: total %d, statuses %v, %v", page.Total, page.Statuses, err)
		}
		kept, fresh, _, err := db.LedgerCountCells(ctx, admin, sqlstore.FindingFilter{})
		if err != nil || len(fresh) != 2 || fmt.Sprint(kept) != fmt.Sprint(fresh) {
			t.Errorf("kept ledger counts after migrating: %v, fresh %v, %v", kept, fresh, err)
		}
	}
	if has("0004_imports.sql") {
		jobs, err := db.ImportJobs(ctx, admin, "")
		if err != nil || len(jobs) != 1 || jobs[0].State != "done" || jobs[0].Written != 1 {
			t.Errorf("import jobs after migrating: %+v, %v", jobs, err)
		}
	}
}
