package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// linkCadre settles who a finding's 责任人 or a task's 责任领导 is. With
// an id, it is that cadre (one the actor can see; field names the input in
// the error) and the stored name is the cadre's. Without, the typed name
// is linked to the one cadre of that name with an active posting
// overlapping area, when exactly one has; otherwise (nobody, or two cadres
// sharing the name) it stays a name only, as for people outside Fupin.
func (tx *Tx) linkCadre(ctx context.Context, field string, id **int64, name *string, area string) error {
	if *id != nil {
		var cname, carea string
		err := tx.QueryRowContext(ctx, `SELECT name, area_code FROM cadres WHERE id = $1`, **id).Scan(&cname, &carea)
		if isNoRows(err) || (err == nil && !aid.Sees(tx.actor, carea)) {
			return &fupin.Error{Code: fupin.EInvalid, Message: fmt.Sprintf("干部 #%d 不存在", **id), Fields: map[string]string{field: "干部不存在"}}
		} else if err != nil {
			return fmt.Errorf("cadre: %w", err)
		}
		*name = cname
		return nil
	}
	if *name == "" {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT c.id, p.area_code FROM cadres c JOIN postings p ON p.cadre_id = c.id
		WHERE c.name = $1 AND p.ended_on IS NULL`, *name)
	if err != nil {
		return fmt.Errorf("cadre by name: %w", err)
	}
	defer rows.Close()
	found := map[int64]bool{}
	var one int64
	for rows.Next() {
		var cid int64
		var posted string
		if err := rows.Scan(&cid, &posted); err != nil {
			return err
		}
		if overlaps(posted, area) {
			found[cid], one = true, cid
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(found) == 1 {
		*id = &one
	}
	return nil
}

// cadreID is a stored cadre link: 0 for a name only.
func cadreID(v sql.NullInt64) int64 {
	if v.Valid {
		return v.Int64
	}
	return 0
}
