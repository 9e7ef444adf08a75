package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// CreateCadre registers a cadre (c.ID is ignored). Errors: invalid,
// forbidden (managing area outside the actor's), conflict (ID number
// already registered).
func (db *DB) CreateCadre(ctx context.Context, actor fupin.Actor, c aid.Cadre) (*aid.Cadre, error) {
	c.ID = 0
	return db.saveCadre(ctx, actor, c)
}

// UpdateCadre changes cadre id, which the caller read at c.Version.
// Errors: invalid, not_found, forbidden (managing area outside the
// actor's), conflict (ID number already registered, stale version).
func (db *DB) UpdateCadre(ctx context.Context, actor fupin.Actor, id int64, c aid.Cadre) (*aid.Cadre, error) {
	if id <= 0 {
		return nil, notFound("干部", id)
	}
	c.ID = id
	return db.saveCadre(ctx, actor, c)
}

// saveCadre creates (c.ID 0) or updates (c.Version current) a cadre.
func (db *DB) saveCadre(ctx context.Context, actor fupin.Actor, c aid.Cadre) (*aid.Cadre, error) {
	var out *aid.Cadre
	err := db.update(ctx, actor, func(tx *Tx) error {
		if err := c.Validate(tx.today()); err != nil {
			return err
		}
		if !actor.Covers(c.AreaCode) {
			return aid.ForbidArea(c.AreaCode)
		}
		if c.UnitID != nil {
			if err := tx.QueryRowContext(ctx, `SELECT name FROM aid_units WHERE id = $1`, *c.UnitID).Scan(&c.UnitName); isNoRows(err) {
				return &fupin.Error{Code: fupin.EInvalid, Message: "派出单位不存在", Fields: map[string]string{"unit_id": "没有这个成员单位"}}
			} else if err != nil {
				return err
			}
		}
		var before *aid.Cadre
		if c.ID != 0 {
			var err error
			if before, err = tx.cadre(ctx, c.ID); err != nil {
				return err
			}
			if !actor.Covers(before.AreaCode) {
				return aid.ForbidArea(before.AreaCode)
			}
			if before.Version != c.Version {
				return staleVersion(c.Version, before.Version)
			}
		}
		if err := tx.checkCadreElsewhere(ctx, c.ID, c.IDNumber); err != nil {
			return err
		}
		args := []any{c.Name, c.IDNumber, c.Phone, nullID(c.UnitID), c.UnitName, c.Post, c.Rank, c.Political, c.AreaCode, tx.now}
		if c.ID == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO cadres (name, id_number, phone, unit_id, unit_name, post, rank,
				political, area_code, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
				RETURNING id`, args...).Scan(&c.ID)
			if err != nil {
				return tx.mapAidUnique(err)
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE cadres SET (name, id_number, phone, unit_id, unit_name, post, rank,
				political, area_code, updated_at) = ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10), version = version + 1
				WHERE id = $11 AND version = $12`, append(args, c.ID, c.Version)...)
			if err != nil {
				return tx.mapAidUnique(err)
			}
			if err := versioned(res, nil, "update cadre"); err != nil {
				return err
			}
		}
		var err error
		if out, err = tx.cadre(ctx, c.ID); err != nil {
			return err
		}
		action := map[bool]string{true: "aid.cadre.create", false: "aid.cadre.update"}[before == nil]
		return tx.auditValue(ctx, action, "cadre", strconv.FormatInt(c.ID, 10), before, out)
	})
	return out, err
}

const cadreCols = `c.id, c.name, c.id_number, c.phone, c.unit_id, c.unit_name, c.post, c.rank, c.political,
	c.area_code, c.version, c.created_at, c.updated_at,
	(SELECT COUNT(*) FROM pairings x WHERE x.cadre_id = c.id AND x.ended_on IS NULL)`

func scanCadre(row scanner) (*aid.Cadre, error) {
	var c aid.Cadre
	var unit sql.NullInt64
	if err := row.Scan(&c.ID, &c.Name, &c.IDNumber, &c.Phone, &unit, &c.UnitName, &c.Post, &c.Rank, &c.Political,
		&c.AreaCode, &c.Version, &c.CreatedAt, &c.UpdatedAt, &c.Pairings); err != nil {
		return nil, err
	}
	c.UnitID, c.CreatedAt, c.UpdatedAt = idPtr(unit), c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return &c, nil
}

// cadreScope is the SQL condition for the cadres the actor may see: those
// managed in the actor's areas or posted there now.
func cadreScope(prefixes []string, arg func(any) string) string {
	return "(" + areaCond("c.area_code", prefixes, arg) + ` OR EXISTS (SELECT 1 FROM postings sp
		WHERE sp.cadre_id = c.id AND sp.ended_on IS NULL AND ` + areaCond("sp.area_code", prefixes, arg) + "))"
}

// cadre loads a cadre the actor may see, with all postings.
func (tx *Tx) cadre(ctx context.Context, id int64) (*aid.Cadre, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	where := "c.id = " + arg(id) + " AND " + cadreScope(tx.actor.Areas, arg)
	c, err := scanCadre(tx.QueryRowContext(ctx, `SELECT `+cadreCols+` FROM cadres c WHERE `+where, args...))
	if isNoRows(err) {
		return nil, notFound("干部", id)
	} else if err != nil {
		return nil, fmt.Errorf("load cadre: %w", err)
	}
	c.Postings, err = tx.postings(ctx, "p.cadre_id = $1 ORDER BY CASE WHEN p.ended_on IS NULL THEN 0 ELSE 1 END, p.started_on DESC, p.id DESC", id)
	return c, err
}

// Cadre returns one cadre with their postings. Errors: not_found.
func (db *DB) Cadre(ctx context.Context, actor fupin.Actor, id int64) (*aid.Cadre, error) {
	var c *aid.Cadre
	err := db.view(ctx, actor, func(tx *Tx) (err error) {
		c, err = tx.cadre(ctx, id)
		return err
	})
	return c, err
}

// ListCadres lists the cadres the actor may see that match f, by the pinyin
// of their names, with their active postings.
func (db *DB) ListCadres(ctx context.Context, actor fupin.Actor, f aid.CadreFilter) (aid.CadrePage, error) {
	page := aid.CadrePage{Items: []aid.Cadre{}}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	conds := []string{cadreScope(actor.Areas, arg)}
	if f.Area != "" {
		conds = append(conds, cadreScope(actor.Narrow(f.Area), arg))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		conds = append(conds, "c.name LIKE "+arg(likeContains(q))+` ESCAPE '\'`)
	}
	if f.Role != "" {
		conds = append(conds, "EXISTS (SELECT 1 FROM postings rp WHERE rp.cadre_id = c.id AND rp.ended_on IS NULL AND rp.role = "+arg(f.Role)+")")
	}
	if f.UnitID != 0 {
		conds = append(conds, "c.unit_id = "+arg(f.UnitID))
	}
	where := strings.Join(conds, " AND ")
	err := db.view(ctx, actor, func(tx *Tx) error {
		page.Items = page.Items[:0]
		ids, err := tx.cadresByName(ctx, where, args)
		if err != nil {
			return err
		}
		page.Total = len(ids)
		from := min(max(f.Offset, 0), len(ids))
		ids = ids[from:min(from+f.Limit, len(ids))]
		if len(ids) == 0 {
			return nil
		}
		in, inArgs := make([]string, len(ids)), make([]any, len(ids))
		for i, id := range ids {
			in[i], inArgs[i] = "$"+itoa(i+1), id
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+cadreCols+` FROM cadres c WHERE c.id IN (`+strings.Join(in, ", ")+`)`, inArgs...)
		if err != nil {
			return fmt.Errorf("cadres: %w", err)
		}
		byID := map[int64]aid.Cadre{}
		for rows.Next() {
			c, err := scanCadre(rows)
			if err != nil {
				rows.Close()
				return err
			}
			byID[c.ID] = *c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			page.Items = append(page.Items, byID[id])
		}
		for i := range page.Items {
			if page.Items[i].Postings, err = tx.postings(ctx, "p.cadre_id = $1 AND p.ended_on IS NULL ORDER BY p.id", page.Items[i].ID); err != nil {
				return err
			}
		}
		return nil
	})
	return page, err
}

// cadresByName returns the ids of the cadres matching where, in pinyin
// order of their names (fupin.SortByName; equal names by id). Neither
// engine collates Chinese by pinyin in SQL, so the page is cut here.
func (tx *Tx) cadresByName(ctx context.Context, where string, args []any) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.id, c.name FROM cadres c WHERE `+where+` ORDER BY c.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("cadre names: %w", err)
	}
	defer rows.Close()
	type named struct {
		id   int64
		name string
	}
	var all []named
	for rows.Next() {
		var n named
		if err := rows.Scan(&n.id, &n.name); err != nil {
			return nil, err
		}
		all = append(all, n)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	fupin.SortByName(all, func(n named) string { return n.name })
	ids := make([]int64, len(all))
	for i, n := range all {
		ids[i] = n.id
	}
	return ids, nil
}
