package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// numberSetting is one stored numeric setting of the shared settings table
// (policy_params, year 0): from this area prefix down, key = value. The aid
// rules' and the monitoring limits' rows have this shape.
type numberSetting struct {
	Area  string
	Key   string
	Value int
}

// numberSettings loads the rows whose key starts with prefix (returned
// without it), except the keys listed; what names them in errors.
func (tx *Tx) numberSettings(ctx context.Context, prefix, what string, except ...string) ([]numberSetting, error) {
	rows, err := tx.QueryContext(ctx, `SELECT area, key, value FROM policy_params WHERE key LIKE $1`, prefix+"%")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	out := []numberSetting{}
	for rows.Next() {
		var r numberSetting
		var value string
		if err := rows.Scan(&r.Area, &r.Key, &value); err != nil {
			return nil, err
		}
		if slices.Contains(except, r.Key) {
			continue
		}
		r.Key = strings.TrimPrefix(r.Key, prefix)
		if r.Value, err = strconv.Atoi(value); err != nil {
			return nil, fmt.Errorf("%s %s/%s: %w", what, r.Area, r.Key, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// aidSettingRows loads the aid rules' rows (keys prefixed
// fupin.SettingPrefixAid).
func (tx *Tx) aidSettingRows(ctx context.Context) ([]aid.SettingRow, error) {
	rows, err := tx.numberSettings(ctx, fupin.SettingPrefixAid, "aid settings")
	out := make([]aid.SettingRow, len(rows))
	for i, r := range rows {
		out[i] = aid.SettingRow(r)
	}
	return out, err
}

// AidSettingsFor returns the definitions, the stored rows the actor may
// see (their areas, the areas above them and the national row) and the
// settings in force for area.
func (db *DB) AidSettingsFor(ctx context.Context, actor fupin.Actor, area string) (*aid.SettingsView, error) {
	out := &aid.SettingsView{Area: area, Definitions: aid.SettingDefs}
	err := db.view(ctx, actor, func(tx *Tx) error {
		rows, err := tx.aidSettingRows(ctx)
		out.Rows = []aid.SettingRow{}
		for _, r := range rows {
			if aid.Sees(actor, r.Area) {
				out.Rows = append(out.Rows, r)
			}
		}
		out.Effective = aid.ResolveSettings(rows, area)
		return err
	})
	return out, err
}

// SetAidSetting stores (or, with value 0, deletes) one setting row, audited.
// Errors: invalid (unknown key, value out of range, bad area).
func (db *DB) SetAidSetting(ctx context.Context, actor fupin.Actor, r aid.SettingRow) error {
	def := fupin.SettingDefOf(aid.SettingDefs, r.Key)
	errs := fupin.FieldErrors{}
	if def == nil {
		errs.Add("key", "未知的设置项："+r.Key)
	} else if r.Value != 0 && def.RangeError(r.Value) != "" {
		errs.Add("value", def.RangeError(r.Value))
	}
	if strings.Trim(r.Area, "0123456789") != "" || len(r.Area) > 12 {
		errs.Add("area", "区域应为统计用区划代码（前缀）")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	if !actor.Covers(r.Area) {
		return aid.ForbidArea(r.Area)
	}
	return db.update(ctx, actor, func(tx *Tx) error {
		var err error
		key := fupin.SettingPrefixAid + r.Key
		if r.Value == 0 {
			_, err = tx.ExecContext(ctx, `DELETE FROM policy_params WHERE area = $1 AND year = 0 AND key = $2`, r.Area, key)
		} else {
			// An upsert: two saves of the same row at once both succeed (the
			// later wins) instead of one failing on the primary key.
			_, err = tx.ExecContext(ctx, `INSERT INTO policy_params (area, year, key, value, updated_by, updated_at)
				VALUES ($1, 0, $2, $3, $4, $5) ON CONFLICT (area, year, key) DO UPDATE SET value = excluded.value,
				updated_by = excluded.updated_by, updated_at = excluded.updated_at`, r.Area, key, strconv.Itoa(r.Value), actor.Name, tx.now)
		}
		if err != nil {
			return fmt.Errorf("aid setting: %w", tx.mapAidUnique(err))
		}
		return tx.auditValue(ctx, "aid.setting", "aid_setting", r.Area+"/"+r.Key, nil, map[string]string{"value": strconv.Itoa(r.Value)})
	})
}
