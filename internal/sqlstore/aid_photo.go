package sqlstore

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"fupin/internal/fupin"
)

// VisitPhoto is a photo attached to a visit, kept in the database.
type VisitPhoto struct {
	ID          int64     `json:"id"`
	VisitID     int64     `json:"visit_id"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type" description:"image/jpeg 或 image/png"`
	Size        int       `json:"size" description:"字节数"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
	Data        []byte    `json:"-"`
}

// sniffImage names the type of an image from its first bytes; only JPEG
// and PNG are accepted, whatever the file name or the client claims.
func sniffImage(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	}
	return ""
}

// AddVisitPhoto attaches a photo to a visit: the image is decoded and
// encoded again (cleanImage), so only the picture is stored. Errors:
// not_found (visit), too_large (over MaxPhotoBytes), invalid (not a whole
// JPEG or PNG image, or over 40 million pixels),
// conflict (the visit has MaxPhotosPerVisit photos).
func (db *DB) AddVisitPhoto(ctx context.Context, actor fupin.Actor, visitID int64, fileName string, data []byte) (*VisitPhoto, error) {
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
	p := &VisitPhoto{VisitID: visitID, FileName: name, ContentType: ct, Size: len(data), CreatedBy: actor.Name}
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
func (db *DB) VisitPhotoData(ctx context.Context, actor fupin.Actor, id int64) (*VisitPhoto, error) {
	var p VisitPhoto
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

// OverdueVisit is a helped household whose next visit is past due.
type OverdueVisit struct {
	HouseholdID   int64      `json:"household_id"`
	HouseholdNo   string     `json:"household_no"`
	HeadName      string     `json:"head_name"`
	HouseholdType string     `json:"household_type"`
	MonitorType   string     `json:"monitor_type"`
	VillageCode   string     `json:"village_code"`
	VillageName   string     `json:"village_name"`
	CadreID       int64      `json:"cadre_id" description:"帮扶责任人编号，0 为无"`
	CadreName     string     `json:"cadre_name"`
	LastVisitOn   fupin.Date `json:"last_visit_on" description:"最近一次走访，空为从未走访"`
	IntervalDays  int        `json:"interval_days" description:"该户的走访周期（天）"`
	DueOn         fupin.Date `json:"due_on" description:"应走访日期；从未走访且无结对日期时为空"`
	DaysOverdue   int        `json:"days_overdue"`
}

// OverdueVisits lists the households in area that need a helper or have
// one and were not visited within their interval (监测户 monthly, others
// quarterly by default; aid settings), longest overdue first. The clock
// starts at the last visit, else the pairing's start.
func (db *DB) OverdueVisits(ctx context.Context, actor fupin.Actor, area string) ([]OverdueVisit, error) {
	out := []OverdueVisit{}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	where := "h.deleted_at IS NULL AND ((" + needsHelper + ") OR x.id IS NOT NULL) AND " +
		areaCond("h.village_code", actor.Narrow(area), arg)
	err := db.view(ctx, actor, func(tx *Tx) error {
		settings, err := tx.aidSettingRows(ctx)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT h.id, COALESCE(h.household_no, ''), h.head_name, h.household_type,
			h.monitor_type, h.risk_eliminated_on IS NOT NULL, h.village_code,
			(SELECT MAX(v.visited_on) FROM visits v WHERE v.household_id = h.id),
			COALESCE(x.cadre_id, 0), COALESCE(c.name, ''), x.started_on
			FROM households h LEFT JOIN pairings x ON x.household_id = h.id AND x.ended_on IS NULL
			LEFT JOIN cadres c ON c.id = x.cadre_id WHERE `+where+` ORDER BY h.village_code, h.id`, args...)
		if err != nil {
			return fmt.Errorf("overdue visits: %w", err)
		}
		defer rows.Close()
		today := tx.today()
		for rows.Next() {
			var o OverdueVisit
			var eliminated bool
			var since fupin.Date
			if err := rows.Scan(&o.HouseholdID, &o.HouseholdNo, &o.HeadName, &o.HouseholdType, &o.MonitorType, &eliminated,
				&o.VillageCode, &o.LastVisitOn, &o.CadreID, &o.CadreName, &since); err != nil {
				return err
			}
			o.IntervalDays = resolveAidSettings(settings, o.VillageCode).interval(o.HouseholdType, o.MonitorType, eliminated)
			if !o.LastVisitOn.IsZero() {
				since = o.LastVisitOn
			}
			if !since.IsZero() {
				o.DueOn = fupin.DateOf(since.Time().AddDate(0, 0, o.IntervalDays))
				if !today.After(o.DueOn) {
					continue
				}
				o.DaysOverdue = daysBetween(o.DueOn, today)
			}
			o.VillageName = areaName(o.VillageCode)
			out = append(out, o)
		}
		return rows.Err()
	})
	sortOverdue(out)
	return out, err
}

// sortOverdue puts never-visited households first, then the longest overdue.
func sortOverdue(list []OverdueVisit) {
	key := func(o OverdueVisit) int {
		if o.DueOn.IsZero() {
			return 1 << 30
		}
		return o.DaysOverdue
	}
	sort.SliceStable(list, func(i, j int) bool { return key(list[i]) > key(list[j]) })
}
