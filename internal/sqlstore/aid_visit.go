package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// MaxPhotoBytes bounds one visit photo; MaxPhotosPerVisit bounds a visit.
const (
	MaxPhotoBytes     = 5 << 20
	MaxPhotosPerVisit = 9
)

// RecordVisit stores a visit to a household. When it records 不愁吃 or 不愁穿
// and is not older than the household's last such check, the household's
// facts are updated through the household write path in the same
// transaction: version bumped, verdicts recomputed, change audited.
// Errors: invalid, not_found (household, cadre), conflict (deleted).
func (db *DB) RecordVisit(ctx context.Context, actor fupin.Actor, householdID int64, v aid.Visit) (*aid.Visit, error) {
	var out *aid.Visit
	err := db.update(ctx, actor, func(tx *Tx) error {
		if err := v.Validate(tx.today()); err != nil {
			return err
		}
		h, err := tx.household(ctx, householdID, true)
		if err != nil {
			return err
		}
		if h.Deleted() {
			return fupin.Errorf(fupin.EConflict, "农户 #%d 已删除，不能记录走访", householdID)
		}
		if _, err := tx.cadre(ctx, v.CadreID); err != nil {
			return withField(err, "cadre_id")
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO visits (household_id, village_code, cadre_id, visited_on, kind,
			findings, food_secure, clothing_secure, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			RETURNING id`, householdID, h.VillageCode, v.CadreID, v.VisitedOn, v.Kind, v.Findings, v.FoodSecure,
			v.ClothingSecure, actor.Name, tx.now).Scan(&id); err != nil {
			return fmt.Errorf("insert visit: %w", err)
		}
		updated, err := tx.visitFeedsBasics(ctx, h, id, &v)
		if err != nil {
			return err
		}
		if out, err = tx.visit(ctx, id); err != nil {
			return err
		}
		out.HouseholdUpdated = updated
		if len(v.RaiseRisks) > 0 {
			out.RaiseRisks = v.RaiseRisks
			if out.CaseID, err = tx.caseFromVisit(ctx, h, id, &v); err != nil {
				return err
			}
		}
		return tx.audit(ctx, "aid.visit.create", "visit", id, householdID, nil, out)
	})
	return out, err
}

// visitFeedsBasics writes the visit's 不愁吃 / 不愁穿 into the household.
func (tx *Tx) visitFeedsBasics(ctx context.Context, h *fupin.Household, visitID int64, v *aid.Visit) (bool, error) {
	if v.FoodSecure == nil && v.ClothingSecure == nil {
		return false, nil
	}
	if !h.Basics.CheckedOn.IsZero() && v.VisitedOn.Before(h.Basics.CheckedOn) {
		return false, nil // an older visit does not overwrite a newer check
	}
	b := h.Basics
	if v.FoodSecure != nil {
		b.FoodSecure = v.FoodSecure
	}
	if v.ClothingSecure != nil {
		b.ClothingSecure = v.ClothingSecure
	}
	note := []rune("走访记录 #" + strconv.FormatInt(visitID, 10) + "：" + v.Findings)
	b.Note, b.CheckedOn = string(note[:min(len(note), 500)]), v.VisitedOn
	res, err := tx.ExecContext(ctx, `UPDATE households SET food_secure = $1, clothing_secure = $2, basics_note = $3,
		basics_checked_on = $4, version = version + 1, updated_at = $5 WHERE id = $6 AND version = $7`,
		b.FoodSecure, b.ClothingSecure, b.Note, b.CheckedOn, tx.now, h.ID, h.Version)
	if err != nil {
		return false, fmt.Errorf("update basics: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return false, &fupin.Error{Code: fupin.EConflict, Message: "该户信息已被他人修改，请刷新后重试",
			Fields: map[string]string{"version": "农户版本已过期"}}
	}
	after, err := tx.household(ctx, h.ID, true)
	if err != nil {
		return false, err
	}
	if err := tx.reassess(ctx, after); err != nil {
		return false, err
	}
	return true, tx.audit(ctx, "household.update", "household", h.ID, h.ID, h, after)
}

const visitSelect = `SELECT v.id, v.household_id, h.head_name, v.village_code, v.cadre_id, c.name, v.visited_on, v.kind,
	v.findings, v.food_secure, v.clothing_secure, v.created_by, v.created_at
	FROM visits v JOIN households h ON h.id = v.household_id JOIN cadres c ON c.id = v.cadre_id`

func (tx *Tx) visits(ctx context.Context, where string, args ...any) ([]aid.Visit, error) {
	rows, err := tx.QueryContext(ctx, visitSelect+` WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("visits: %w", err)
	}
	out := []aid.Visit{}
	for rows.Next() {
		var v aid.Visit
		if err := rows.Scan(&v.ID, &v.HouseholdID, &v.HeadName, &v.VillageCode, &v.CadreID, &v.CadreName, &v.VisitedOn,
			&v.Kind, &v.Findings, &v.FoodSecure, &v.ClothingSecure, &v.CreatedBy, &v.CreatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		v.CreatedAt, v.VillageName, v.Photos = v.CreatedAt.UTC(), aid.AreaName(v.VillageCode), []int64{}
		out = append(out, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, tx.photoIDs(ctx, out)
}

// photoIDs fills the photo ids of visits (a page: at most 500) with one
// query, not one per visit.
func (tx *Tx) photoIDs(ctx context.Context, visits []aid.Visit) error {
	if len(visits) == 0 {
		return nil
	}
	at := make(map[int64]int, len(visits))
	marks := make([]string, len(visits))
	args := make([]any, len(visits))
	for i, v := range visits {
		at[v.ID] = i
		marks[i] = "$" + itoa(i+1)
		args[i] = v.ID
	}
	rows, err := tx.QueryContext(ctx, `SELECT visit_id, id FROM visit_photos WHERE visit_id IN (`+strings.Join(marks, ", ")+`)
		ORDER BY visit_id, id`, args...)
	if err != nil {
		return fmt.Errorf("photos: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var visit, id int64
		if err := rows.Scan(&visit, &id); err != nil {
			return err
		}
		if i, ok := at[visit]; ok {
			visits[i].Photos = append(visits[i].Photos, id)
		}
	}
	return rows.Err()
}

// visit loads one visit in the actor's areas.
func (tx *Tx) visit(ctx context.Context, id int64) (*aid.Visit, error) {
	vs, err := tx.visits(ctx, "v.id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 || !tx.actor.Covers(vs[0].VillageCode) {
		return nil, notFound("走访记录", id)
	}
	return &vs[0], nil
}

// Visit returns one visit. Errors: not_found.
func (db *DB) Visit(ctx context.Context, actor fupin.Actor, id int64) (*aid.Visit, error) {
	var v *aid.Visit
	err := db.view(ctx, actor, func(tx *Tx) (err error) {
		v, err = tx.visit(ctx, id)
		return err
	})
	return v, err
}

// ListVisits lists the visits in the actor's areas matching f, newest first.
func (db *DB) ListVisits(ctx context.Context, actor fupin.Actor, f aid.VisitFilter) (aid.VisitPage, error) {
	page := aid.VisitPage{Items: []aid.Visit{}}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	conds := []string{areaCond("v.village_code", actor.Narrow(f.Area), arg)}
	if f.HouseholdID != 0 {
		conds = append(conds, "v.household_id = "+arg(f.HouseholdID))
	}
	if f.CadreID != 0 {
		conds = append(conds, "v.cadre_id = "+arg(f.CadreID))
	}
	if !f.From.IsZero() {
		conds = append(conds, "v.visited_on >= "+arg(f.From))
	}
	if !f.To.IsZero() {
		conds = append(conds, "v.visited_on <= "+arg(f.To))
	}
	where := strings.Join(conds, " AND ")
	err := db.view(ctx, actor, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM visits v WHERE `+where, db.customPlan(args)...).Scan(&page.Total); err != nil {
			return fmt.Errorf("count visits: %w", err)
		}
		var err error
		page.Items, err = tx.visits(ctx, where+` ORDER BY v.visited_on DESC, v.id DESC LIMIT `+strconv.Itoa(f.Limit)+
			` OFFSET `+strconv.Itoa(max(f.Offset, 0)), db.customPlan(args)...)
		return err
	})
	return page, err
}
