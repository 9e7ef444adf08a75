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
	return db.named(ctx, out.ScopeTo(actor), err)
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
	rs, err := tx.rotations(ctx, "id = $1", []any{id}, "", func(code string) bool { return aid.Sees(tx.actor, code) })
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, notFound("轮换", id)
	}
	return &rs[0], nil
}

// rotations reads the rotations matching where (a condition on rotations
// columns over args) that keep accepts, in order, with their items and
// handover lists: three queries, whatever the number of rotations.
func (tx *Tx) rotations(ctx context.Context, where string, args []any, order string, keep func(code string) bool) ([]aid.Rotation, error) {
	rows, err := tx.query(ctx, rotationSelect+` WHERE `+where+order, args...)
	if err != nil {
		return nil, fmt.Errorf("load rotations: %w", err)
	}
	defer rows.Close()
	out := []aid.Rotation{}
	at := map[int64]int{}
	for rows.Next() {
		var r aid.Rotation
		var office, done sql.NullTime
		if err := rows.Scan(&r.ID, &r.AreaCode, &r.Title, &r.PlannedOn, &r.Status, &r.Note, &r.OfficeConfirmedBy, &office,
			&r.CreatedBy, &r.Version, &r.CreatedAt, &done); err != nil {
			return nil, err
		}
		if !keep(r.AreaCode) {
			continue
		}
		r.OfficeConfirmedAt, r.CompletedAt, r.CreatedAt = utcPtr(office), utcPtr(done), r.CreatedAt.UTC()
		r.AreaName, r.StatusLabel = aid.AreaName(r.AreaCode), aid.RotationStatuses.LabelOf(r.Status)
		r.Items, r.Entries = []aid.RotationItem{}, []aid.HandoverEntry{}
		at[r.ID] = len(out)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	rows.Close()
	in := "IN (SELECT id FROM rotations WHERE " + where + ")"
	if err := tx.rotationItemsWhere(ctx, "i.rotation_id "+in, args, func(rotation int64, it aid.RotationItem) {
		if i, ok := at[rotation]; ok {
			out[i].Items = append(out[i].Items, it)
		}
	}); err != nil {
		return nil, err
	}
	if err := tx.handoverEntriesWhere(ctx, "e.rotation_id "+in, args, func(rotation int64, e aid.HandoverEntry) {
		if i, ok := at[rotation]; ok {
			out[i].Entries = append(out[i].Entries, e)
		}
	}); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Ready = out[i].Status == "planned" && len(out[i].MissingConfirmations()) == 0
	}
	return out, nil
}

// rotationItems reads one rotation's items in order.
func (tx *Tx) rotationItems(ctx context.Context, id int64) ([]aid.RotationItem, error) {
	out := []aid.RotationItem{}
	err := tx.rotationItemsWhere(ctx, "i.rotation_id = $1", []any{id}, func(_ int64, it aid.RotationItem) { out = append(out, it) })
	return out, err
}

func (tx *Tx) rotationItemsWhere(ctx context.Context, where string, args []any, add func(int64, aid.RotationItem)) error {
	rows, err := tx.query(ctx, `SELECT i.rotation_id, i.id, i.posting_id, p.role, p.area_code, i.outgoing_cadre_id, o.name,
		i.incoming_cadre_id, n.name, i.outgoing_confirmed_by, i.outgoing_confirmed_at, i.incoming_confirmed_by,
		i.incoming_confirmed_at, i.new_posting_id
		FROM rotation_items i JOIN postings p ON p.id = i.posting_id JOIN cadres o ON o.id = i.outgoing_cadre_id
		JOIN cadres n ON n.id = i.incoming_cadre_id WHERE `+where+` ORDER BY i.rotation_id, i.id`, args...)
	if err != nil {
		return fmt.Errorf("rotation items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var it aid.RotationItem
		var rotation int64
		var oat, iat sql.NullTime
		var np sql.NullInt64
		if err := rows.Scan(&rotation, &it.ID, &it.PostingID, &it.Role, &it.AreaCode, &it.OutgoingCadreID, &it.OutgoingName,
			&it.IncomingCadreID, &it.IncomingName, &it.OutgoingConfirmedBy, &oat, &it.IncomingConfirmedBy, &iat, &np); err != nil {
			return err
		}
		it.OutgoingConfirmedAt, it.IncomingConfirmedAt, it.NewPostingID = utcPtr(oat), utcPtr(iat), idPtr(np)
		it.RoleLabel, it.AreaName = aid.Roles.LabelOf(it.Role), aid.AreaName(it.AreaCode)
		add(rotation, it)
	}
	return rows.Err()
}

func (tx *Tx) handoverEntriesWhere(ctx context.Context, where string, args []any, add func(int64, aid.HandoverEntry)) error {
	rows, err := tx.query(ctx, `SELECT e.rotation_id, e.id, e.item_id, e.kind, e.ref_id, e.title, e.detail, e.auto, e.created_by,
		COALESCE(h.village_code, '') FROM handover_entries e
		LEFT JOIN households h ON e.kind = 'household' AND h.id = e.ref_id WHERE `+where+` ORDER BY e.rotation_id, e.id`, args...)
	if err != nil {
		return fmt.Errorf("handover entries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e aid.HandoverEntry
		var rotation int64
		var item, ref sql.NullInt64
		if err := rows.Scan(&rotation, &e.ID, &item, &e.Kind, &ref, &e.Title, &e.Detail, &e.Auto, &e.CreatedBy, &e.Village); err != nil {
			return err
		}
		e.ItemID, e.RefID, e.KindLabel = idPtr(item), idPtr(ref), aid.HandoverKinds.LabelOf(e.Kind)
		add(rotation, e)
	}
	return rows.Err()
}

// Rotation returns one rotation with its items and handover list.
func (db *DB) Rotation(ctx context.Context, actor fupin.Actor, id int64) (*aid.Rotation, error) {
	var r *aid.Rotation
	err := db.view(ctx, actor, func(tx *Tx) (err error) {
		r, err = tx.rotation(ctx, id)
		return err
	})
	return db.named(ctx, r.ScopeTo(actor), err)
}

// named fills the display names of the accounts a rotation shows.
func (db *DB) named(ctx context.Context, r *aid.Rotation, err error) (*aid.Rotation, error) {
	if err == nil && r != nil {
		r.Names, err = db.DisplayNames(ctx, r.Accounts())
	}
	return r, err
}

// ListRotations lists the rotations of the townships overlapping area,
// newest first, optionally in one status.
func (db *DB) ListRotations(ctx context.Context, actor fupin.Actor, area, status string) ([]aid.Rotation, error) {
	out := []aid.Rotation{}
	err := db.view(ctx, actor, func(tx *Tx) error {
		out = out[:0]
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		where := overlapCond("area_code", actor, area, arg)
		if status != "" {
			where += " AND status = " + arg(status)
		}
		rs, err := tx.rotations(ctx, where, args, " ORDER BY id DESC", overlapping(actor, area))
		if err != nil {
			return err
		}
		for i := range rs {
			out = append(out, *rs[i].ScopeTo(actor))
		}
		return nil
	})
	return out, err
}
