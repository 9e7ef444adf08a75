package sqlstore

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// AddVisitPhoto attaches a photo to a visit: the image is decoded and
// encoded again (cleanImage), so only the picture is stored. Errors:
// not_found (visit), too_large (over MaxPhotoBytes), invalid (not a whole
// JPEG or PNG image, or over 40 million pixels),
// conflict (the visit has MaxPhotosPerVisit photos).
func (db *DB) AddVisitPhoto(ctx context.Context, actor fupin.Actor, visitID int64, fileName string, data []byte) (*aid.VisitPhoto, error) {
	if len(data) > MaxPhotoBytes {
		return nil, fupin.Errorf(fupin.ETooLarge, "照片不能超过 %d MB", MaxPhotoBytes>>20)
	}
	data, ct, err := cleanImage(data)
	if err != nil {
		return nil, err
	}
	name := filepath.Base(strings.ReplaceAll(fileName, `\`, "/"))
	if r := []rune(name); len(r) > 100 {
		name = string(r[len(r)-100:])
	}
	p := &aid.VisitPhoto{VisitID: visitID, FileName: name, ContentType: ct, Size: len(data), CreatedBy: actor.Name}
	err = db.update(ctx, actor, func(tx *Tx) error {
		if err := tx.lockAid(ctx); err != nil { // the count below holds until commit
			return err
		}
		v, err := tx.visit(ctx, visitID)
		if err != nil {
			return err
		}
		if len(v.Photos) >= MaxPhotosPerVisit {
			return fupin.Errorf(fupin.EConflict, "每条走访记录最多 %d 张照片", MaxPhotosPerVisit)
		}
		p.CreatedAt = tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO visit_photos (visit_id, file_name, content_type, size, data,
			created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			visitID, p.FileName, ct, p.Size, data, actor.Name, tx.now).Scan(&p.ID); err != nil {
			return fmt.Errorf("insert photo: %w", err)
		}
		return tx.audit(ctx, "aid.visit.photo", "visit_photo", p.ID, v.HouseholdID, nil, p)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// VisitPhotoData returns a photo with its bytes, when its visit is in the
// actor's areas. Errors: not_found.
func (db *DB) VisitPhotoData(ctx context.Context, actor fupin.Actor, id int64) (*aid.VisitPhoto, error) {
	var p aid.VisitPhoto
	err := db.view(ctx, actor, func(tx *Tx) error {
		var village string
		err := tx.QueryRowContext(ctx, `SELECT f.id, f.visit_id, f.file_name, f.content_type, f.size, f.data, f.created_by,
			f.created_at, v.village_code FROM visit_photos f JOIN visits v ON v.id = f.visit_id WHERE f.id = $1`, id).Scan(
			&p.ID, &p.VisitID, &p.FileName, &p.ContentType, &p.Size, &p.Data, &p.CreatedBy, &p.CreatedAt, &village)
		if isNoRows(err) || (err == nil && !actor.Covers(village)) {
			return notFound("照片", id)
		}
		p.CreatedAt = p.CreatedAt.UTC()
		return err
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// ListOverdueVisits lists the households in area that need a helper or have
// one and were not visited within their interval (监测户 monthly, others
// quarterly by default; aid settings), longest overdue first. The clock
// starts at the last visit, else the pairing's start.
func (db *DB) ListOverdueVisits(ctx context.Context, actor fupin.Actor, area string) ([]aid.OverdueVisit, error) {
	var out []aid.OverdueVisit
	err := db.view(ctx, actor, func(tx *Tx) error {
		var err error
		out, err = tx.overdueVisits(ctx, actor, area)
		return err
	})
	aid.SortOverdue(out)
	return out, err
}

// overdueVisits reads the households of ListOverdueVisits, unsorted.
func (tx *Tx) overdueVisits(ctx context.Context, actor fupin.Actor, area string) ([]aid.OverdueVisit, error) {
	out := []aid.OverdueVisit{}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	where := "h.deleted_at IS NULL AND ((" + needsHelper + ") OR x.id IS NOT NULL) AND " +
		areaCond("h.village_code", actor.Narrow(area), arg)
	settings, err := tx.aidSettingRows(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT h.id, COALESCE(h.household_no, ''), h.head_name, h.household_type,
		h.monitor_type, h.risk_eliminated_on IS NOT NULL, h.village_code,
		(SELECT MAX(v.visited_on) FROM visits v WHERE v.household_id = h.id),
		COALESCE(x.cadre_id, 0), COALESCE(c.name, ''), x.started_on
		FROM households h LEFT JOIN pairings x ON x.household_id = h.id AND x.ended_on IS NULL
		LEFT JOIN cadres c ON c.id = x.cadre_id WHERE `+where+` ORDER BY h.village_code, h.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("overdue visits: %w", err)
	}
	defer rows.Close()
	today := tx.today()
	for rows.Next() {
		var o aid.OverdueVisit
		var eliminated bool
		var since fupin.Date
		if err := rows.Scan(&o.HouseholdID, &o.HouseholdNo, &o.HeadName, &o.HouseholdType, &o.MonitorType, &eliminated,
			&o.VillageCode, &o.LastVisitOn, &o.CadreID, &o.CadreName, &since); err != nil {
			return nil, err
		}
		o.IntervalDays = aid.ResolveSettings(settings, o.VillageCode).Interval(o.HouseholdType, o.MonitorType, eliminated)
		if !aid.CheckOverdue(&o, since, today) {
			continue
		}
		o.VillageName = aid.AreaName(o.VillageCode)
		out = append(out, o)
	}
	return out, rows.Err()
}
