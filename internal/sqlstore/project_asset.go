package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"fupin/internal/aid"
	"fupin/internal/fupin"
	"fupin/internal/project"
)

// AssetRow is an asset in a register with its check of the register's
// year (nil when not yet checked that year).
type AssetRow struct {
	project.Asset
	Check *project.AssetCheck `json:"check,omitempty" description:"该年度的核查（未核查时为空）"`
}

// AssetRegister is the register of 帮扶项目资产 of an area for a year.
type AssetRegister struct {
	Year      int         `json:"year"`
	Items     []AssetRow  `json:"items"`
	Value     fupin.Money `json:"value" description:"资产原值合计（元）"`
	Income    fupin.Money `json:"income" description:"当年收益合计（元）"`
	Shared    fupin.Money `json:"shared" description:"当年分配给农户合计（元）"`
	Unchecked int         `json:"unchecked" description:"当年未核查的资产数"`
}

// maxRegister bounds the assets one register lists.
const maxRegister = 5000

// CreateAsset registers an asset of an accepted project. Errors: invalid,
// not_found (the project), forbidden (role, or the village outside the
// actor's areas), conflict (the project is not accepted).
func (db *DB) CreateAsset(ctx context.Context, actor fupin.Actor, role string, a project.Asset) (*project.Asset, error) {
	if err := checkAsset(actor, role, &a); err != nil {
		return nil, err
	}
	var out *project.Asset
	err := db.update(ctx, actor, func(tx *Tx) error {
		p, err := tx.projectDetail(ctx, a.ProjectID)
		if err != nil {
			return withField(err, "project_id")
		}
		if err := project.CheckAssetSource(&p.Project, &a); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO project_assets (project_id, name, kind, owner, village_code, value, operator, status, note,
			created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
			a.ProjectID, a.Name, a.Kind, a.Owner, a.Village, a.Value, a.Operator, a.Status, a.Note, actor.Name, tx.now).Scan(&id); err != nil {
			return fmt.Errorf("create asset: %w", err)
		}
		if out, err = tx.asset(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "project.asset.create", "project_asset", strconv.FormatInt(id, 10), nil, out)
	})
	return out, err
}

// UpdateAsset changes an asset (a.Version must be the stored version; the
// project stays). Errors: as CreateAsset, plus conflict on a stale version.
func (db *DB) UpdateAsset(ctx context.Context, actor fupin.Actor, role string, id int64, a project.Asset) (*project.Asset, error) {
	if err := checkAsset(actor, role, &a); err != nil {
		return nil, err
	}
	var out *project.Asset
	err := db.update(ctx, actor, func(tx *Tx) error {
		before, err := tx.asset(ctx, id)
		if err != nil {
			return err
		}
		if !actor.Covers(before.Village) {
			return aid.ForbidArea(before.Village)
		}
		if a.Version != before.Version {
			return staleVersion(a.Version, before.Version)
		}
		p, err := tx.projectDetail(ctx, before.ProjectID)
		if err != nil {
			return err
		}
		if err := project.CheckAssetSource(&p.Project, &a); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE project_assets SET name = $1, kind = $2, owner = $3, village_code = $4, value = $5, operator = $6,
			status = $7, note = $8, version = version + 1, updated_at = $9 WHERE id = $10 AND version = $11`,
			a.Name, a.Kind, a.Owner, a.Village, a.Value, a.Operator, a.Status, a.Note, tx.now, id, a.Version)
		if err := versioned(res, err, "update asset"); err != nil {
			return err
		}
		if out, err = tx.asset(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "project.asset.update", "project_asset", strconv.FormatInt(id, 10), before, out)
	})
	return out, err
}

// CheckAsset records (or replaces) the yearly check of an asset; the
// latest year's check sets the asset's status. Errors: invalid, not_found,
// forbidden (role or area).
func (db *DB) CheckAsset(ctx context.Context, actor fupin.Actor, role string, id int64, c project.AssetCheck) (*project.AssetCheck, error) {
	if !project.CanEdit(role) {
		return nil, fupin.Errorf(fupin.EForbidden, "只有县级、乡镇用户可以核查项目资产")
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	err := db.update(ctx, actor, func(tx *Tx) error {
		a, err := tx.asset(ctx, id)
		if err != nil {
			return err
		}
		if !actor.Covers(a.Village) {
			return aid.ForbidArea(a.Village)
		}
		before, err := tx.assetCheck(ctx, id, c.Year)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM project_asset_checks WHERE asset_id = $1 AND year = $2`, id, c.Year); err != nil {
			return fmt.Errorf("replace asset check: %w", err)
		}
		c.AssetID, c.CheckedBy, c.CheckedAt = id, actor.Name, tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO project_asset_checks (asset_id, year, income, shared, households, status, note, checked_by, checked_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, id, c.Year, c.Income, c.Shared, c.Households, c.Status, c.Note, actor.Name, tx.now); err != nil {
			return fmt.Errorf("asset check: %w", err)
		}
		// The latest year's check sets the asset's status; correcting an
		// earlier year leaves it.
		if _, err := tx.ExecContext(ctx, `UPDATE project_assets SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3
			AND NOT EXISTS (SELECT 1 FROM project_asset_checks c WHERE c.asset_id = $3 AND c.year > $4)`, c.Status, tx.now, id, c.Year); err != nil {
			return fmt.Errorf("asset status: %w", err)
		}
		var prev any
		if before != nil {
			prev = before
		}
		return tx.auditValue(ctx, "project.asset.check", "project_asset", strconv.FormatInt(id, 10), prev, c)
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

func checkAsset(actor fupin.Actor, role string, a *project.Asset) error {
	if !project.CanEdit(role) {
		return fupin.Errorf(fupin.EForbidden, "只有县级、乡镇用户可以登记和修改项目资产")
	}
	if err := a.Validate(); err != nil {
		return err
	}
	if aid.AreaName(a.Village) == "" {
		return invalidField("village_code", "不是有效的统计用区划代码：%s", a.Village)
	}
	if !actor.Covers(a.Village) {
		return aid.ForbidArea(a.Village)
	}
	return nil
}

const assetCols = `a.id, a.project_id, a.name, a.kind, a.owner, a.village_code, a.value, a.operator, a.status, a.note, a.version,
	a.created_by, a.created_at, p.name`

func scanAsset(row scanner) (*project.Asset, error) {
	var a project.Asset
	err := row.Scan(&a.ID, &a.ProjectID, &a.Name, &a.Kind, &a.Owner, &a.Village, &a.Value, &a.Operator, &a.Status, &a.Note, &a.Version,
		&a.CreatedBy, &a.CreatedAt, &a.ProjectName)
	a.CreatedAt, a.VillageName = a.CreatedAt.UTC(), aid.AreaName(a.Village)
	return &a, err
}

// asset loads an asset the actor sees (its village overlaps their areas).
func (tx *Tx) asset(ctx context.Context, id int64) (*project.Asset, error) {
	a, err := scanAsset(tx.QueryRowContext(ctx, `SELECT `+assetCols+` FROM project_assets a JOIN projects p ON p.id = a.project_id WHERE a.id = $1`, id))
	if isNoRows(err) || (err == nil && !aid.Sees(tx.actor, a.Village)) {
		return nil, notFound("项目资产", id)
	} else if err != nil {
		return nil, fmt.Errorf("load asset: %w", err)
	}
	return a, nil
}

func (tx *Tx) assetCheck(ctx context.Context, id int64, year int) (*project.AssetCheck, error) {
	c := project.AssetCheck{AssetID: id, Year: year}
	err := tx.QueryRowContext(ctx, `SELECT income, shared, households, status, note, checked_by, checked_at FROM project_asset_checks
		WHERE asset_id = $1 AND year = $2`, id, year).Scan(&c.Income, &c.Shared, &c.Households, &c.Status, &c.Note, &c.CheckedBy, &c.CheckedAt)
	if isNoRows(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("asset check: %w", err)
	}
	c.CheckedAt = c.CheckedAt.UTC()
	return &c, nil
}

// Asset returns one asset. Errors: not_found.
func (db *DB) Asset(ctx context.Context, actor fupin.Actor, id int64) (*project.Asset, error) {
	var out *project.Asset
	err := db.view(ctx, actor, func(tx *Tx) (err error) {
		out, err = tx.asset(ctx, id)
		return err
	})
	return out, err
}

// Assets is the register of the assets in area (a prefix) the actor sees,
// by village, with each one's check of year and the year's totals.
// Errors: invalid when more than 5,000 assets match.
func (db *DB) Assets(ctx context.Context, actor fupin.Actor, area string, year int) (*AssetRegister, error) {
	out := &AssetRegister{Year: year, Items: []AssetRow{}}
	err := db.view(ctx, actor, func(tx *Tx) error {
		*out = AssetRegister{Year: year, Items: out.Items[:0]}
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		yearArg := arg(year)
		rows, err := tx.QueryContext(ctx, `SELECT `+assetCols+`, c.income, c.shared, c.households, c.status, c.note, c.checked_by, c.checked_at
			FROM project_assets a JOIN projects p ON p.id = a.project_id
			LEFT JOIN project_asset_checks c ON c.asset_id = a.id AND c.year = `+yearArg+`
			WHERE `+overlapCond("a.village_code", actor, area, arg)+` ORDER BY a.village_code, a.id LIMIT `+arg(maxRegister+1), args...)
		if err != nil {
			return fmt.Errorf("assets: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var a project.Asset
			var income, shared, households sql.NullInt64
			var status, note, by sql.NullString
			var at sql.NullTime
			if err := rows.Scan(&a.ID, &a.ProjectID, &a.Name, &a.Kind, &a.Owner, &a.Village, &a.Value, &a.Operator, &a.Status, &a.Note, &a.Version,
				&a.CreatedBy, &a.CreatedAt, &a.ProjectName, &income, &shared, &households, &status, &note, &by, &at); err != nil {
				return fmt.Errorf("scan asset: %w", err)
			}
			if !aid.Sees(actor, a.Village) {
				continue
			}
			a.CreatedAt, a.VillageName = a.CreatedAt.UTC(), aid.AreaName(a.Village)
			row := AssetRow{Asset: a}
			if at.Valid {
				row.Check = &project.AssetCheck{AssetID: a.ID, Year: year, Income: fupin.Money(income.Int64), Shared: fupin.Money(shared.Int64),
					Households: int(households.Int64), Status: status.String, Note: note.String, CheckedBy: by.String, CheckedAt: at.Time.UTC()}
				out.Income += row.Check.Income
				out.Shared += row.Check.Shared
			} else {
				out.Unchecked++
			}
			out.Value += a.Value
			out.Items = append(out.Items, row)
		}
		if len(out.Items) > maxRegister {
			return invalidField("area", "资产超过 %d 项，请缩小区域", maxRegister)
		}
		return rows.Err()
	})
	return out, err
}
