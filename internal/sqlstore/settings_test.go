package sqlstore_test

import (
	"errors"
	"testing"
	"time"

	"fupin/internal/aid"
	"fupin/internal/criteria"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestSettingsMigration replays migration 0017 over a database that still
// has aid settings in their old table: the rows move into the one settings
// table, resolve as before, stay out of the policy parameters, and the old
// table is gone.
func TestSettingsMigration(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		if err := db.SetPolicyParam(ctx, admin, criteria.ParamRow{Area: "500236", Year: 2024, Key: "monitoring_line", Value: "7000"}); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			`CREATE TABLE aid_settings (area TEXT NOT NULL, key TEXT NOT NULL, value INTEGER NOT NULL,
				updated_by TEXT NOT NULL, updated_at TIMESTAMP NOT NULL, PRIMARY KEY (area, key))`,
			`DELETE FROM schema_migrations WHERE name = '0017_settings.sql'`,
		} {
			if err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		at := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
		for _, r := range []aid.SettingRow{{Area: "", Key: "term_months", Value: 36}, {Area: "500236266", Key: "term_months", Value: 12},
			{Area: "500236", Key: "visit_days_ex_poor", Value: 60}} {
			if err := db.Exec(`INSERT INTO aid_settings (area, key, value, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)`,
				r.Area, r.Key, r.Value, "旧管理员", at); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := db.Migrate(ctx); err != nil || n != 1 {
			t.Fatalf("migrate = %d, %v; want 1 migration", n, err)
		}
		v, err := db.AidSettingsFor(ctx, admin, "500236266208")
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Rows) != 3 || v.Effective.TermMonths != 12 || v.Effective.VisitDaysExPoor != 60 || v.Effective.VisitDaysMonitored != 30 {
			t.Errorf("after migration: rows %+v, effective %+v", v.Rows, v.Effective)
		}
		if v, err := db.AidSettingsFor(ctx, admin, "110101"); err != nil || v.Effective.TermMonths != 36 {
			t.Errorf("national term after migration = %+v, %v; want 36", v, err)
		}
		params, err := db.PolicyParams(ctx)
		if err != nil || len(params) != 1 || params[0].Key != "monitoring_line" {
			t.Errorf("policy params after migration = %+v, %v; want only monitoring_line", params, err)
		}
		if err := db.Exec(`SELECT COUNT(*) FROM aid_settings`); err == nil {
			t.Error("aid_settings still exists after migration 0017")
		}
		// Writes go to the one table: a change and a removal.
		if err := db.SetAidSetting(ctx, admin, aid.SettingRow{Area: "500236266", Key: "term_months", Value: 0}); err != nil {
			t.Fatal(err)
		}
		if err := db.SetAidSetting(ctx, admin, aid.SettingRow{Area: "500236", Key: "term_months", Value: 18}); err != nil {
			t.Fatal(err)
		}
		if v, err := db.AidSettingsFor(ctx, admin, "500236266208"); err != nil || v.Effective.TermMonths != 18 || len(v.Rows) != 3 {
			t.Errorf("after writes = %+v, %v; want term 18 from 500236 and 3 rows", v, err)
		}
		if err := db.SetPolicyParam(ctx, admin, criteria.ParamRow{Area: "", Year: 2024, Key: "aid.term_months", Value: "6"}); err == nil {
			t.Error("the policy parameter API wrote an aid rule")
		}
	})
}

// TestSetAidSettingBounds stores aid rules at and beyond their definitions'
// bounds (aid.SettingDefs, checked through fupin.SettingDef): the bounds and
// 0 (delete) are accepted, a value outside is refused on its field with the
// definition's label, bounds and unit, an unknown key on the key, and a
// refused write stores nothing.
func TestSetAidSettingBounds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		for _, c := range []struct {
			row         aid.SettingRow
			field, want string
		}{
			{aid.SettingRow{Area: "500236", Key: "term_months", Value: 6}, "", ""},
			{aid.SettingRow{Area: "500236", Key: "term_months", Value: 60}, "", ""},
			{aid.SettingRow{Area: "500236", Key: "term_months", Value: 5}, "value", "驻村（驻乡）任期应在 6–60 月之间"},
			{aid.SettingRow{Area: "500236", Key: "term_months", Value: 61}, "value", "驻村（驻乡）任期应在 6–60 月之间"},
			{aid.SettingRow{Area: "500236", Key: "attendance_min_days", Value: 32}, "value", "每月在村天数要求应在 1–31 天之间"},
			{aid.SettingRow{Area: "500236", Key: "attendance_min_days", Value: -1}, "value", "每月在村天数要求应在 1–31 天之间"},
			{aid.SettingRow{Area: "500236", Key: "home_check", Value: 3}, "key", "未知的设置项：home_check"},
			{aid.SettingRow{Area: "500236", Key: "attendance_min_days", Value: 0}, "", ""},
		} {
			err := db.SetAidSetting(ctx, admin, c.row)
			var e *fupin.Error
			switch {
			case c.field == "" && err != nil:
				t.Errorf("%+v: %v", c.row, err)
			case c.field != "" && (!errors.As(err, &e) || e.Code != fupin.EInvalid || e.Fields[c.field] != c.want):
				t.Errorf("%+v: %v, want invalid with %s: %q", c.row, err, c.field, c.want)
			}
		}
		v, err := db.AidSettingsFor(ctx, admin, "500236266208")
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Rows) != 1 || v.Effective.TermMonths != 60 || v.Effective.AttendanceMinDays != 20 {
			t.Errorf("stored rows %+v, effective %+v; want only term_months 60", v.Rows, v.Effective)
		}
	})
}
