package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"fupin/internal/criteria"
	"fupin/internal/fupin"
	"fupin/internal/region"
)

// PolicyParam is a stored parameter row with who last set it.
type PolicyParam struct {
	criteria.ParamRow
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy string    `json:"updated_by"`
}

// PolicyParams lists the stored parameter rows, by area, year and key. The
// table also holds the aid rules (keys "aid.…", aid_settings.go); they are
// not policy parameters and are left out here.
func (db *DB) PolicyParams(ctx context.Context) ([]PolicyParam, error) {
	var out []PolicyParam
	err := db.view(ctx, fupin.SystemActor(""), func(tx *Tx) error {
		out = nil
		rows, err := tx.QueryContext(ctx, `SELECT area, year, key, value, updated_at, updated_by
			FROM policy_params WHERE key NOT LIKE 'aid.%' AND key NOT LIKE 'monitor.%' ORDER BY area, year, key`)
		if err != nil {
			return fmt.Errorf("policy params: %w", err)
		}
		defer rows.Close()
		out = []PolicyParam{}
		for rows.Next() {
			var p PolicyParam
			if err := rows.Scan(&p.Area, &p.Year, &p.Key, &p.Value, &p.UpdatedAt, &p.UpdatedBy); err != nil {
				return err
			}
			p.UpdatedAt = p.UpdatedAt.UTC()
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// paramRows loads every stored parameter row for the resolver.
func (tx *Tx) paramRows(ctx context.Context) ([]criteria.ParamRow, error) {
	rows, err := tx.QueryContext(ctx, `SELECT area, year, key, value FROM policy_params WHERE key NOT LIKE 'aid.%' AND key NOT LIKE 'monitor.%'`)
	if err != nil {
		return nil, fmt.Errorf("policy params: %w", err)
	}
	defer rows.Close()
	var out []criteria.ParamRow
	for rows.Next() {
		var r criteria.ParamRow
		if err := rows.Scan(&r.Area, &r.Year, &r.Key, &r.Value); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ResolvedParams returns the parameters in force for an area and year.
func (db *DB) ResolvedParams(ctx context.Context, area string, year int) (*criteria.Params, error) {
	var p *criteria.Params
	err := db.view(ctx, fupin.SystemActor(""), func(tx *Tx) error {
		rows, err := tx.paramRows(ctx)
		if err != nil {
			return err
		}
		p, err = criteria.Resolve(rows, area, year)
		return err
	})
	return p, err
}

// SetPolicyParam stores a parameter value for an area (a division-code
// prefix, "" for the whole country) from a year on, audits the change and
// queues the recomputation of the verdicts it affects. An empty value
// removes the row, so that the broader area or the default applies again.
func (db *DB) SetPolicyParam(ctx context.Context, actor fupin.Actor, r criteria.ParamRow) error {
	area, err := policyArea(r.Area)
	if err != nil {
		return err
	}
	r.Area = area
	if !actor.Covers(r.Area) || (r.Area == "" && !actor.Covers("")) {
		return fupin.Errorf(fupin.EForbidden, "无权修改区域 %q 的政策参数", r.Area)
	}
	if r.Value != "" {
		v, err := criteria.NormalizeParam(r.Key, r.Value)
		if err != nil {
			return err
		}
		r.Value = v
		if err := criteria.ValidateRow(r); err != nil {
			return err
		}
	} else if _, ok := criteria.LookupDef(r.Key); !ok {
		return &fupin.Error{Code: fupin.EInvalid, Message: "没有这个政策参数：" + r.Key, Fields: map[string]string{"key": "未知参数"}}
	}
	return db.update(ctx, actor, func(tx *Tx) error {
		var before any
		var old PolicyParam
		err := tx.QueryRowContext(ctx, `SELECT value FROM policy_params WHERE area = $1 AND year = $2 AND key = $3`,
			r.Area, r.Year, r.Key).Scan(&old.Value)
		if err == nil {
			old.ParamRow = criteria.ParamRow{Area: r.Area, Year: r.Year, Key: r.Key, Value: old.Value}
			before = old.ParamRow
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM policy_params WHERE area = $1 AND year = $2 AND key = $3`,
			r.Area, r.Year, r.Key); err != nil {
			return fmt.Errorf("set param: %w", err)
		}
		var after any
		if r.Value != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO policy_params (area, year, key, value, updated_at, updated_by)
				VALUES ($1, $2, $3, $4, $5, $6)`, r.Area, r.Year, r.Key, r.Value, tx.now, actor.Name); err != nil {
				return fmt.Errorf("set param: %w", err)
			}
			after = r
		}
		// Check that the whole set still resolves (for example age bounds).
		rows, err := tx.paramRows(ctx)
		if err != nil {
			return err
		}
		if _, err := criteria.Resolve(rows, r.Area, r.Year); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO recompute_queue (area, from_year, requested_at) VALUES ($1, $2, $3)`,
			r.Area, r.Year, tx.now); err != nil {
			return fmt.Errorf("queue recompute: %w", err)
		}
		if err := tx.notify(ctx, EventRecompute); err != nil {
			return err
		}
		return tx.auditValue(ctx, "policy.set", "policy_param", r.Area+"/"+fmt.Sprint(r.Year)+"/"+r.Key, before, after)
	})
}

// auditValue records a write about something other than a household.
func (tx *Tx) auditValue(ctx context.Context, action, entity, entityID string, before, after any) error {
	enc := func(v any) (any, error) {
		if v == nil {
			return nil, nil
		}
		b, err := json.Marshal(v)
		return string(b), err
	}
	b, err := enc(before)
	if err != nil {
		return err
	}
	a, err := enc(after)
	if err != nil {
		return err
	}
	return tx.appendAudit(ctx, auditRow{action: action, entity: entity, entityID: entityID, before: b, after: a})
}

// savePolicyVersion records a resolved parameter set once per version.
func (tx *Tx) savePolicyVersion(ctx context.Context, p *criteria.Params) error {
	return tx.savePolicyVersions(ctx, []*criteria.Params{p})
}

// savePolicyVersions records resolved parameter sets once per version, in
// one statement.
func (tx *Tx) savePolicyVersions(ctx context.Context, ps []*criteria.Params) error {
	seen := make(map[string]bool, len(ps))
	var values []string
	var args []any
	for _, p := range ps {
		if seen[p.Version()] {
			continue
		}
		seen[p.Version()] = true
		body, err := json.Marshal(p.All())
		if err != nil {
			return err
		}
		values = append(values, "("+placeholders(len(args)+1, 5)+")")
		args = append(args, p.Version(), p.Area(), p.Year(), string(body), tx.now)
	}
	if len(values) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO policy_versions (version, area, year, params, created_at)
		VALUES `+strings.Join(values, ", ")+` ON CONFLICT (version) DO NOTHING`, args...)
	return err
}

// policyArea checks a parameter's area: "" (the whole country) or an
// existing division code, returned in canonical form (a 12-digit padded
// code becomes its division's own). Errors: invalid, field area.
func policyArea(area string) (string, error) {
	if strings.TrimSpace(area) == "" {
		return "", nil
	}
	r, err := region.Lookup(area)
	if err != nil {
		msg := "区划代码 " + area + " 不存在"
		if errors.Is(err, region.ErrInvalidCode) {
			msg = "区划代码 " + area + " 格式不对：应为 2、4、6、9 或 12 位数字"
		}
		return "", &fupin.Error{Code: fupin.EInvalid, Message: msg, Fields: map[string]string{"area": msg}}
	}
	return r.Code, nil
}
