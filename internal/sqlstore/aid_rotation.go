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

// PlanRotation stores a rotation and builds its handover list. Errors:
// invalid, not_found (posting, cadre), forbidden (township outside the
// actor's areas), conflict (posting ended or already in a rotation).
func (db *DB) PlanRotation(ctx context.Context, actor fupin.Actor, p aid.RotationPlan) (*aid.Rotation, error) {
	errs := fupin.FieldErrors{}
	aid.TrimLen(errs, "title", &p.Title, 100, true)
	aid.TrimLen(errs, "note", &p.Note, 1000, false)
	aid.CheckAreaCode(errs, "area_code", p.AreaCode, false)
	if len(p.AreaCode) != 9 {
		errs.Add("area_code", "轮换按乡镇组织，应为 9 位乡镇代码")
	}
	if len(p.Items) == 0 || len(p.Items) > 200 {
		errs.Add("items", "请列出 1–200 个交接岗位")
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if !actor.Covers(p.AreaCode) {
		return nil, aid.ForbidArea(p.AreaCode)
	}
	var out *aid.Rotation
	err := db.update(ctx, actor, func(tx *Tx) error {
		if err := tx.lockAid(ctx); err != nil {
			return err
		}
		if p.PlannedOn.IsZero() {
			p.PlannedOn = tx.today()
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO rotations (area_code, title, planned_on, status, note, created_by,
			created_at, updated_at) VALUES ($1, $2, $3, 'planned', $4, $5, $6, $6) RETURNING id`,
			p.AreaCode, p.Title, p.PlannedOn, p.Note, actor.Name, tx.now).Scan(&id); err != nil {
			return fmt.Errorf("insert rotation: %w", err)
		}
		if err := tx.insertRotationItems(ctx, id, p); err != nil {
			return err
		}
		if err := tx.rebuildHandover(ctx, id); err != nil {
			return err
		}
		var err error
		if out, err = tx.rotation(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "aid.rotation.plan", "rotation", strconv.FormatInt(id, 10), nil, out)
	})
	return out.ScopeTo(actor), err
}

func (tx *Tx) insertRotationItems(ctx context.Context, id int64, p aid.RotationPlan) error {
	seen := map[int64]bool{}
	for i, it := range p.Items {
		path := "items[" + strconv.Itoa(i) + "]"
		post, err := tx.posting(ctx, it.PostingID)
		if err != nil {
			return withField(err, path+".posting_id")
		}
		field := func(msg string) error {
			return &fupin.Error{Code: fupin.EConflict, Message: msg, Fields: map[string]string{path + ".posting_id": msg}}
		}
		switch {
		case seen[it.PostingID]:
			return field("同一岗位重复列出")
		case !post.EndedOn.IsZero():
			return field(fmt.Sprintf("%s的岗位已于 %s 离任", post.CadreName, post.EndedOn))
		case !strings.HasPrefix(post.AreaCode, p.AreaCode):
			return field("岗位不在该乡镇")
		case it.IncomingCadreID == post.CadreID:
			return &fupin.Error{Code: fupin.EInvalid, Message: "接任干部不能是离任干部本人", Fields: map[string]string{path + ".incoming_cadre_id": "与离任干部相同"}}
		}
		seen[it.PostingID] = true
		var other int64
		err = tx.QueryRowContext(ctx, `SELECT r.id FROM rotation_items i JOIN rotations r ON r.id = i.rotation_id
			WHERE i.posting_id = $1 AND r.status = 'planned' AND r.id <> $2`, it.PostingID, id).Scan(&other)
		if err == nil {
			return field(fmt.Sprintf("该岗位已在轮换 #%d 中", other))
		} else if !isNoRows(err) {
			return err
		}
		if _, err := tx.cadre(ctx, it.IncomingCadreID); err != nil {
			return withField(err, path+".incoming_cadre_id")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO rotation_items (rotation_id, posting_id, outgoing_cadre_id,
			incoming_cadre_id) VALUES ($1, $2, $3, $4)`, id, it.PostingID, post.CadreID, it.IncomingCadreID); err != nil {
			return fmt.Errorf("insert rotation item: %w", err)
		}
	}
	return nil
}

const rotationSelect = `SELECT id, area_code, title, planned_on, status, note, office_confirmed_by, office_confirmed_at,
	created_by, version, created_at, completed_at FROM rotations`

// rotation loads a rotation the actor may see, with items and entries.
func (tx *Tx) rotation(ctx context.Context, id int64) (*aid.Rotation, error) {
	var r aid.Rotation
	var office, done sql.NullTime
	err := tx.QueryRowContext(ctx, rotationSelect+` WHERE id = $1`, id).Scan(&r.ID, &r.AreaCode, &r.Title, &r.PlannedOn,
		&r.Status, &r.Note, &r.OfficeConfirmedBy, &office, &r.CreatedBy, &r.Version, &r.CreatedAt, &done)
	if isNoRows(err) || (err == nil && !aid.Sees(tx.actor, r.AreaCode)) {
		return nil, notFound("轮换", id)
	} else if err != nil {
		return nil, fmt.Errorf("load rotation: %w", err)
	}
	r.OfficeConfirmedAt, r.CompletedAt, r.CreatedAt = utcPtr(office), utcPtr(done), r.CreatedAt.UTC()
	r.AreaName, r.StatusLabel = aid.AreaName(r.AreaCode), aid.RotationStatuses.LabelOf(r.Status)
	if r.Items, err = tx.rotationItems(ctx, id); err != nil {
		return nil, err
	}
	if r.Entries, err = tx.handoverEntries(ctx, id); err != nil {
		return nil, err
	}
	r.Ready = r.Status == "planned" && len(r.MissingConfirmations()) == 0
	return &r, nil
}

func (tx *Tx) rotationItems(ctx context.Context, id int64) ([]aid.RotationItem, error) {
	rows, err := tx.QueryContext(ctx, `SELECT i.id, i.posting_id, p.role, p.area_code, i.outgoing_cadre_id, o.name,
		i.incoming_cadre_id, n.name, i.outgoing_confirmed_by, i.outgoing_confirmed_at, i.incoming_confirmed_by,
		i.incoming_confirmed_at, i.new_posting_id
		FROM rotation_items i JOIN postings p ON p.id = i.posting_id JOIN cadres o ON o.id = i.outgoing_cadre_id
		JOIN cadres n ON n.id = i.incoming_cadre_id WHERE i.rotation_id = $1 ORDER BY i.id`, id)
	if err != nil {
		return nil, fmt.Errorf("rotation items: %w", err)
	}
	defer rows.Close()
	out := []aid.RotationItem{}
	for rows.Next() {
		var it aid.RotationItem
		var oat, iat sql.NullTime
		var np sql.NullInt64
		if err := rows.Scan(&it.ID, &it.PostingID, &it.Role, &it.AreaCode, &it.OutgoingCadreID, &it.OutgoingName,
			&it.IncomingCadreID, &it.IncomingName, &it.OutgoingConfirmedBy, &oat, &it.IncomingConfirmedBy, &iat, &np); err != nil {
			return nil, err
		}
		it.OutgoingConfirmedAt, it.IncomingConfirmedAt, it.NewPostingID = utcPtr(oat), utcPtr(iat), idPtr(np)
		it.RoleLabel, it.AreaName = aid.Roles.LabelOf(it.Role), aid.AreaName(it.AreaCode)
		out = append(out, it)
	}
	return out, rows.Err()
}

func (tx *Tx) handoverEntries(ctx context.Context, id int64) ([]aid.HandoverEntry, error) {
	rows, err := tx.QueryContext(ctx, `SELECT e.id, e.item_id, e.kind, e.ref_id, e.title, e.detail, e.auto, e.created_by,
		COALESCE(h.village_code, '') FROM handover_entries e
		LEFT JOIN households h ON e.kind = 'household' AND h.id = e.ref_id WHERE e.rotation_id = $1 ORDER BY e.id`, id)
	if err != nil {
		return nil, fmt.Errorf("handover entries: %w", err)
	}
	defer rows.Close()
	out := []aid.HandoverEntry{}
	for rows.Next() {
		var e aid.HandoverEntry
		var item, ref sql.NullInt64
		if err := rows.Scan(&e.ID, &item, &e.Kind, &ref, &e.Title, &e.Detail, &e.Auto, &e.CreatedBy, &e.Village); err != nil {
			return nil, err
		}
		e.ItemID, e.RefID, e.KindLabel = idPtr(item), idPtr(ref), aid.HandoverKinds.LabelOf(e.Kind)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Rotation returns one rotation with its items and handover list.
func (db *DB) Rotation(ctx context.Context, actor fupin.Actor, id int64) (*aid.Rotation, error) {
	var r *aid.Rotation
	err := db.view(ctx, actor, func(tx *Tx) (err error) {
		r, err = tx.rotation(ctx, id)
		return err
	})
	return r.ScopeTo(actor), err
}

// Rotations lists the rotations of the townships overlapping area,
// newest first, optionally in one status.
func (db *DB) Rotations(ctx context.Context, actor fupin.Actor, area, status string) ([]aid.Rotation, error) {
	out := []aid.Rotation{}
	err := db.view(ctx, actor, func(tx *Tx) error {
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		where := overlapCond("area_code", actor, area, arg)
		if status != "" {
			where += " AND status = " + arg(status)
		}
		ids, err := tx.overlappingIDs(ctx, actor, area, `SELECT id, area_code FROM rotations WHERE `+where+` ORDER BY id DESC`, args)
		if err != nil {
			return fmt.Errorf("rotations: %w", err)
		}
		for _, id := range ids {
			r, err := tx.rotation(ctx, id)
			if err != nil {
				return err
			}
			out = append(out, *r.ScopeTo(actor))
		}
		return nil
	})
	return out, err
}
