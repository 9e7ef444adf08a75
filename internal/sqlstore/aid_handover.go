package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// rebuildHandover replaces the generated part of a planned rotation's
// handover list with the postings and the households that would move now
// (aid.HandoverList over pairingMoves).
func (tx *Tx) rebuildHandover(ctx context.Context, id int64) error {
	items, err := tx.rotationItems(ctx, id)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM handover_entries WHERE rotation_id = $1 AND auto`, id); err != nil {
		return fmt.Errorf("clear handover: %w", err)
	}
	moves, err := tx.pairingMoves(ctx, items)
	if err != nil {
		return err
	}
	for _, e := range aid.HandoverList(items, moves) {
		if err := tx.addEntry(ctx, id, e.ItemID, e.Kind, e.RefID, e.Title, e.Detail, e.Auto); err != nil {
			return err
		}
	}
	// 防返贫监测 (issue 16): the running 一户一策 measures of the handed-over
	// households go with them (monitor_handover.go).
	if err := tx.handoverMeasures(ctx, id, moves); err != nil {
		return err
	}
	// Rectification ledger: the outgoing cadres' open findings and
	// unfinished key tasks (sqlstore/ledger_handover.go).
	if err := tx.ledgerHandoverEntries(ctx, id, items); err != nil {
		return err
	}
	return nil
}

// pairingMoves reads the active pairings of the items' outgoing cadres in
// one query and picks those the items hand over (aid.PairingMoves).
func (tx *Tx) pairingMoves(ctx context.Context, items []aid.RotationItem) ([]aid.PairingMove, error) {
	cadres := aid.OutgoingCadres(items)
	if len(cadres) == 0 {
		return nil, nil
	}
	args := make([]any, len(cadres))
	marks := make([]string, len(cadres))
	for i, c := range cadres {
		args[i], marks[i] = c, "$"+strconv.Itoa(i+1)
	}
	active, err := tx.pairings(ctx, "x.cadre_id IN ("+strings.Join(marks, ", ")+") AND x.ended_on IS NULL ORDER BY x.village_code, x.household_id", args...)
	if err != nil {
		return nil, err
	}
	return aid.PairingMoves(items, active), nil
}

func (tx *Tx) addEntry(ctx context.Context, rotation int64, item *int64, kind string, ref *int64, title, detail string, auto bool) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO handover_entries (rotation_id, item_id, kind, ref_id, title, detail,
		auto, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		rotation, nullID(item), kind, nullID(ref), title, detail, auto, tx.actor.Name, tx.now); err != nil {
		return fmt.Errorf("handover entry: %w", err)
	}
	return nil
}

// AddHandoverEntry adds a line (a project, document, open case…) to a
// planned rotation's handover list, as an actor covering the rotation's
// township. The list changed, so every confirmation given so far is
// withdrawn. Errors: invalid, not_found, forbidden, conflict (stale
// version, not planned).
func (db *DB) AddHandoverEntry(ctx context.Context, actor fupin.Actor, id int64, e aid.NewHandoverEntry) (*aid.Rotation, error) {
	errs := fupin.FieldErrors{}
	if !aid.HandoverKinds.Has(e.Kind) || e.Kind == "posting" || e.Kind == "household" {
		errs.Add("kind", "类别应为 case、ledger、project、document 或 other（岗位和结对农户由系统生成）")
	}
	aid.TrimLen(errs, "title", &e.Title, 200, true)
	aid.TrimLen(errs, "detail", &e.Detail, 2000, false)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var out *aid.Rotation
	err := db.update(ctx, actor, func(tx *Tx) error {
		r, err := tx.plannedRotation(ctx, id, e.Version)
		if err != nil {
			return err
		}
		if !actor.Covers(r.AreaCode) {
			return aid.ForbidArea(r.AreaCode)
		}
		if e.ItemID != nil && !aid.HasItem(r.Items, *e.ItemID) {
			return &fupin.Error{Code: fupin.EInvalid, Message: "交接项不属于该轮换", Fields: map[string]string{"item_id": "没有这个交接项"}}
		}
		step(ctx, "entry")
		if err := tx.addEntry(ctx, id, e.ItemID, e.Kind, nil, e.Title, e.Detail, false); err != nil {
			return err
		}
		if err := tx.withdrawConfirmations(ctx, id); err != nil {
			return err
		}
		if err := tx.advanceRotation(ctx, id, e.Version, "planned"); err != nil {
			return err
		}
		if out, err = tx.rotation(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "aid.rotation.entry", "rotation", strconv.FormatInt(id, 10), nil, e)
	})
	return db.named(ctx, out.ScopeTo(actor), err)
}

// withdrawConfirmations clears every confirmation of a rotation; the
// caller bumps its version (advanceRotation).
func (tx *Tx) withdrawConfirmations(ctx context.Context, id int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE rotation_items SET outgoing_confirmed_by = '', outgoing_confirmed_at = NULL,
		incoming_confirmed_by = '', incoming_confirmed_at = NULL WHERE rotation_id = $1`, id); err != nil {
		return fmt.Errorf("withdraw confirmations: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE rotations SET office_confirmed_by = '', office_confirmed_at = NULL
		WHERE id = $1`, id); err != nil {
		return fmt.Errorf("withdraw confirmations: %w", err)
	}
	return nil
}

// advanceRotation bumps a rotation's version and sets its status, only
// while it is still planned at the version the caller read. Every writer
// of rotations also holds lockAid; this WHERE is what keeps a cancel and a
// completion (or a confirmation and a new entry) from both succeeding
// should a writer forget it. Errors: conflict on field version.
func (tx *Tx) advanceRotation(ctx context.Context, id, version int64, status string) error {
	res, err := tx.ExecContext(ctx, `UPDATE rotations SET status = $1, version = version + 1, updated_at = $2
		WHERE id = $3 AND version = $4 AND status = 'planned'`, status, tx.now, id, version)
	return versioned(res, err, "update rotation")
}

// refreshRotations rebuilds the handover list of every planned rotation in
// which one of cadres hands over, and withdraws its confirmations: their
// pairings changed, so what was confirmed is no longer what would move.
// Callers hold lockAid.
func (tx *Tx) refreshRotations(ctx context.Context, cadres ...int64) error {
	var args []any
	var marks []string
	for _, c := range cadres {
		args = append(args, c)
		marks = append(marks, "$"+itoa(len(args)))
	}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT r.id, r.version FROM rotations r
		JOIN rotation_items i ON i.rotation_id = r.id
		WHERE r.status = 'planned' AND i.outgoing_cadre_id IN (`+strings.Join(marks, ", ")+`) ORDER BY r.id`, args...)
	if err != nil {
		return fmt.Errorf("rotations to refresh: %w", err)
	}
	var ids, versions []int64
	for rows.Next() {
		var id, v int64
		if err := rows.Scan(&id, &v); err != nil {
			rows.Close()
			return err
		}
		ids, versions = append(ids, id), append(versions, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i, id := range ids {
		if err := tx.rebuildHandover(ctx, id); err != nil {
			return err
		}
		if err := tx.withdrawConfirmations(ctx, id); err != nil {
			return err
		}
		if err := tx.advanceRotation(ctx, id, versions[i], "planned"); err != nil {
			return err
		}
	}
	return nil
}

// plannedRotation takes the aid lock (so that writers of one rotation
// queue up) and loads a rotation that is still being planned, at the
// version the caller read. Errors: not_found, conflict (completed or
// cancelled, on field status; stale version).
func (tx *Tx) plannedRotation(ctx context.Context, id, version int64) (*aid.Rotation, error) {
	if err := tx.lockAid(ctx); err != nil {
		return nil, err
	}
	r, err := tx.rotation(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := aid.CheckTransition(r, aid.RotationPlanned); err != nil {
		return nil, err
	}
	if version != r.Version {
		return nil, staleVersion(version, r.Version)
	}
	return r, nil
}

// ConfirmRotation records a party's confirmation under the actor's account
// name. The township office confirms as an actor covering the township; a
// cadre's confirmation is recorded by an actor covering the posting's
// area. The outgoing, incoming and office confirmations of an item must
// come from three different accounts. Errors: invalid, not_found,
// forbidden, conflict (stale version, not planned, account already
// confirmed as another party).
func (db *DB) ConfirmRotation(ctx context.Context, actor fupin.Actor, id int64, c aid.Confirmation) (*aid.Rotation, error) {
	var out *aid.Rotation
	err := db.update(ctx, actor, func(tx *Tx) error {
		r, err := tx.plannedRotation(ctx, id, c.Version)
		if err != nil {
			return err
		}
		item, err := aid.ConfirmingItem(r, actor, c)
		if err != nil {
			return err
		}
		if other := aid.ConfirmedAs(r, item, c.Party, actor.Name); other != "" {
			msg := fmt.Sprintf("账号 %s 已作为%s确认过，不能再作为%s确认：离任干部、接任干部和乡镇指挥部办公室须由三个不同的账号分别确认，交接才有三方各自签字的效力",
				actor.Name, other, aid.PartyLabels[c.Party])
			return &fupin.Error{Code: fupin.EConflict, Message: msg, Fields: map[string]string{"party": "该账号已代表另一方确认"}}
		}
		step(ctx, "confirm")
		if item == nil {
			_, err = tx.ExecContext(ctx, `UPDATE rotations SET office_confirmed_by = $1, office_confirmed_at = $2 WHERE id = $3`, actor.Name, tx.now, id)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE rotation_items SET `+c.Party+`_confirmed_by = $1, `+c.Party+`_confirmed_at = $2
				WHERE id = $3`, actor.Name, tx.now, item.ID)
		}
		if err != nil {
			return fmt.Errorf("confirm rotation: %w", err)
		}
		if err := tx.advanceRotation(ctx, id, c.Version, "planned"); err != nil {
			return err
		}
		if out, err = tx.rotation(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "aid.rotation.confirm", "rotation", strconv.FormatInt(id, 10), nil, c)
	})
	return db.named(ctx, out.ScopeTo(actor), err)
}

// CancelRotation abandons a planned rotation; nothing moves. Errors:
// not_found, forbidden, conflict (stale version, completed or cancelled).
func (db *DB) CancelRotation(ctx context.Context, actor fupin.Actor, id, version int64) (*aid.Rotation, error) {
	var out *aid.Rotation
	err := db.update(ctx, actor, func(tx *Tx) error {
		r, err := tx.plannedRotation(ctx, id, version)
		if err != nil {
			return err
		}
		if !actor.Covers(r.AreaCode) {
			return aid.ForbidArea(r.AreaCode)
		}
		if err := tx.advanceRotation(ctx, id, version, "cancelled"); err != nil {
			return err
		}
		if out, err = tx.rotation(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "aid.rotation.cancel", "rotation", strconv.FormatInt(id, 10), r, nil)
	})
	return db.named(ctx, out.ScopeTo(actor), err)
}
