package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fupin/internal/fupin"
)

// AidSettingDef is a configurable number of the aid rules with its default
// and source.
type AidSettingDef struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	Unit    string `json:"unit"`
	Default int    `json:"default"`
	Min     int    `json:"min"`
	Max     int    `json:"max"`
	Source  string `json:"source"`
}

// AidSettingDefs lists the aid settings.
var AidSettingDefs = []AidSettingDef{
	{"term_months", "驻村（驻乡）任期", "月", 24, 6, 60, "第一书记任期一般 1–3 年，各地多为 2 年"},
	{"term_alert_days", "任期届满提醒", "天", 60, 1, 365, "任期届满前提前安排轮换"},
	{"attendance_min_days", "每月在村天数要求", "天", 20, 1, 31, "驻村干部每月在村不少于 20 天（各地规定）"},
	{"visit_days_monitored", "监测户走访周期", "天", 30, 1, 366, "重点户（监测户）每月走访一遍"},
	{"visit_days_ex_poor", "脱贫户走访周期", "天", 90, 1, 366, "一般户每季度走访一遍"},
	{"visit_days_other", "其他结对户走访周期", "天", 90, 1, 366, "一般户每季度走访一遍"},
}

// AidSettings are the aid rules in force for an area.
type AidSettings struct {
	TermMonths         int `json:"term_months" description:"任期（月）"`
	TermAlertDays      int `json:"term_alert_days" description:"任期届满前多少天提醒"`
	AttendanceMinDays  int `json:"attendance_min_days" description:"每月在村天数要求"`
	VisitDaysMonitored int `json:"visit_days_monitored" description:"监测户走访周期（天）"`
	VisitDaysExPoor    int `json:"visit_days_ex_poor" description:"脱贫户走访周期（天）"`
	VisitDaysOther     int `json:"visit_days_other" description:"其他结对户走访周期（天）"`
}

// AidSettingRow is a stored setting: from this area prefix down, key = value.
type AidSettingRow struct {
	Area  string `json:"area" description:"区划代码前缀，空为全国"`
	Key   string `json:"key" required:"true"`
	Value int    `json:"value" description:"数值；0 表示删除该行，回到上级或默认值"`
}

func (s *AidSettings) field(key string) *int {
	switch key {
	case "term_months":
		return &s.TermMonths
	case "term_alert_days":
		return &s.TermAlertDays
	case "attendance_min_days":
		return &s.AttendanceMinDays
	case "visit_days_monitored":
		return &s.VisitDaysMonitored
	case "visit_days_ex_poor":
		return &s.VisitDaysExPoor
	case "visit_days_other":
		return &s.VisitDaysOther
	}
	return nil
}

// resolveAidSettings picks, per key, the row of the longest area prefix of
// code, else the default.
func resolveAidSettings(rows []AidSettingRow, code string) AidSettings {
	var s AidSettings
	best := map[string]int{}
	for _, d := range AidSettingDefs {
		*s.field(d.Key) = d.Default
		best[d.Key] = -1
	}
	for _, r := range rows {
		if strings.HasPrefix(code, r.Area) && len(r.Area) > best[r.Key] {
			if f := s.field(r.Key); f != nil {
				*f, best[r.Key] = r.Value, len(r.Area)
			}
		}
	}
	return s
}

// interval is the visit interval in days for a household: 监测户 (risk
// not eliminated), 脱贫户, others.
func (s AidSettings) interval(householdType, monitorType string, eliminated bool) int {
	switch {
	case monitorType != "" && !eliminated:
		return s.VisitDaysMonitored
	case householdType == "ex_poor":
		return s.VisitDaysExPoor
	}
	return s.VisitDaysOther
}

func (tx *Tx) aidSettingRows(ctx context.Context) ([]AidSettingRow, error) {
	rows, err := tx.QueryContext(ctx, `SELECT area, key, value FROM aid_settings`)
	if err != nil {
		return nil, fmt.Errorf("aid settings: %w", err)
	}
	defer rows.Close()
	var out []AidSettingRow
	for rows.Next() {
		var r AidSettingRow
		if err := rows.Scan(&r.Area, &r.Key, &r.Value); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AidSettingsView is what GET /aid/settings answers.
type AidSettingsView struct {
	Area        string          `json:"area"`
	Definitions []AidSettingDef `json:"definitions"`
	Rows        []AidSettingRow `json:"rows" description:"已录入的值（按区划前缀）"`
	Effective   AidSettings     `json:"effective" description:"该区域生效值"`
}

// AidSettingsFor returns the definitions, the stored rows the actor may
// see (their areas, the areas above them and the national row) and the
// settings in force for area.
func (db *DB) AidSettingsFor(ctx context.Context, actor fupin.Actor, area string) (*AidSettingsView, error) {
	out := &AidSettingsView{Area: area, Definitions: AidSettingDefs}
	err := db.view(ctx, actor, func(tx *Tx) error {
		rows, err := tx.aidSettingRows(ctx)
		out.Rows = []AidSettingRow{}
		for _, r := range rows {
			if sees(actor, r.Area) {
				out.Rows = append(out.Rows, r)
			}
		}
		out.Effective = resolveAidSettings(rows, area)
		return err
	})
	return out, err
}

// SetAidSetting stores (or, with value 0, deletes) one setting row, audited.
// Errors: invalid (unknown key, value out of range, bad area).
func (db *DB) SetAidSetting(ctx context.Context, actor fupin.Actor, r AidSettingRow) error {
	var def *AidSettingDef
	for i := range AidSettingDefs {
		if AidSettingDefs[i].Key == r.Key {
			def = &AidSettingDefs[i]
		}
	}
	errs := fupin.FieldErrors{}
	if def == nil {
		errs.Add("key", "未知的设置项："+r.Key)
	} else if r.Value != 0 && (r.Value < def.Min || r.Value > def.Max) {
		errs.Add("value", fmt.Sprintf("%s应在 %d–%d %s之间", def.Label, def.Min, def.Max, def.Unit))
	}
	if strings.Trim(r.Area, "0123456789") != "" || len(r.Area) > 12 {
		errs.Add("area", "区域应为统计用区划代码（前缀）")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	if !actor.Covers(r.Area) {
		return forbidArea(r.Area)
	}
	return db.update(ctx, actor, func(tx *Tx) error {
		var err error
		if r.Value == 0 {
			_, err = tx.ExecContext(ctx, `DELETE FROM aid_settings WHERE area = $1 AND key = $2`, r.Area, r.Key)
		} else {
			// An upsert: two saves of the same row at once both succeed (the
			// later wins) instead of one failing on the primary key.
			_, err = tx.ExecContext(ctx, `INSERT INTO aid_settings (area, key, value, updated_by, updated_at)
				VALUES ($1, $2, $3, $4, $5) ON CONFLICT (area, key) DO UPDATE SET value = excluded.value,
				updated_by = excluded.updated_by, updated_at = excluded.updated_at`, r.Area, r.Key, r.Value, actor.Name, tx.now)
		}
		if err != nil {
			return fmt.Errorf("aid setting: %w", tx.mapAidUnique(err))
		}
		return tx.auditValue(ctx, "aid.setting", "aid_setting", r.Area+"/"+r.Key, nil, map[string]string{"value": strconv.Itoa(r.Value)})
	})
}
