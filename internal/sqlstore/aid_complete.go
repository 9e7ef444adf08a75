package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fupin/internal/fupin"
)

// CompleteRotation carries out a confirmed rotation in one transaction:
// each outgoing posting ends today and the incoming cadre takes a new one
// (same role and area, a fresh term); every active pairing of each
// outgoing cadre ends and starts again with the incoming cadre; the
// handover list is rebuilt from what actually moved and kept. Writers of
// pairings are serialised, and the old pairing ends in the same
// transaction that starts the new one, so no household is ever seen
// without a helper; an interrupted completion changes nothing.
// Errors: not_found, forbidden, conflict (stale version, confirmations
// missing, a posting changed since planning).
func (db *DB) CompleteRotation(ctx context.Context, actor fupin.Actor, id, version int64) (*Rotation, error) {
	var out *Rotation
	err := db.update(ctx, actor, func(tx *Tx) error {
		if err := tx.lockAid(ctx); err != nil {
			return err
		}
		r, err := tx.plannedRotation(ctx, id)
		if err != nil {
			return err
		}
		if !actor.Covers(r.AreaCode) {
			return fupin.Errorf(fupin.EForbidden, "须由%s指挥部办公室完成交接", r.AreaName)
		}
		if version != r.Version {
			return staleVersion(version, r.Version)
		}
		if missing := r.missingConfirmations(); len(missing) > 0 {
			return fupin.Errorf(fupin.EConflict, "尚未确认：%s", strings.Join(missing, "、"))
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM handover_entries WHERE rotation_id = $1 AND auto`, id); err != nil {
			return fmt.Errorf("clear handover: %w", err)
		}
		for _, it := range r.Items {
			if err := tx.movePosting(ctx, id, it); err != nil {
				return err
			}
			step("posting")
		}
		households, err := tx.movePairings(ctx, id, r.Items)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE rotations SET status = 'completed', completed_at = $1, updated_at = $1,
			version = version + 1 WHERE id = $2`, tx.now, id); err != nil {
			return fmt.Errorf("complete rotation: %w", err)
		}
		if out, err = tx.rotation(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "aid.rotation.complete", "rotation", strconv.FormatInt(id, 10), nil,
			map[string]int{"postings": len(r.Items), "households": households})
	})
	return out, err
}

// movePosting ends the outgoing posting and starts the incoming one.
func (tx *Tx) movePosting(ctx context.Context, rotation int64, it RotationItem) error {
	p, err := tx.posting(ctx, it.PostingID)
	if err != nil {
		return err
	}
	if !p.EndedOn.IsZero() || p.CadreID != it.OutgoingCadreID {
		return fupin.Errorf(fupin.EConflict, "%s的%s岗位在计划后已变更，请取消本次轮换并重新制定", it.OutgoingName, it.RoleLabel)
	}
	today := tx.today()
	if _, err := tx.ExecContext(ctx, `UPDATE postings SET ended_on = $1, end_reason = '轮换交接', rotation_id = $2,
		version = version + 1, updated_at = $3 WHERE id = $4`, today, rotation, tx.now, p.ID); err != nil {
		return fmt.Errorf("end posting: %w", err)
	}
	next := Posting{CadreID: it.IncomingCadreID, Role: p.Role, AreaCode: p.AreaCode, GroupID: p.GroupID, StartedOn: today}
	newID, err := tx.insertPosting(ctx, next, &rotation)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE rotation_items SET new_posting_id = $1 WHERE id = $2`, newID, it.ID); err != nil {
		return fmt.Errorf("rotation item: %w", err)
	}
	return tx.addEntry(ctx, rotation, &it.ID, "posting", &p.ID, it.RoleLabel+"（"+it.AreaName+"）",
		it.OutgoingName+" → "+it.IncomingName+"，新岗位 #"+strconv.FormatInt(newID, 10), true)
}

// movePairings hands every active pairing of the outgoing cadres to the
// incoming ones and returns how many households moved.
func (tx *Tx) movePairings(ctx context.Context, rotation int64, items []RotationItem) (int, error) {
	today, n := tx.today(), 0
	for _, out := range outgoingCadres(items) {
		ps, err := tx.pairings(ctx, "x.cadre_id = $1 AND x.ended_on IS NULL ORDER BY x.village_code, x.household_id", out)
		if err != nil {
			return n, err
		}
		for _, p := range ps {
			it := targetItem(items, out, p.VillageCode)
			res, err := tx.ExecContext(ctx, `UPDATE pairings SET ended_on = $1, end_reason = '轮换交接', rotation_id = $2,
				updated_at = $3 WHERE id = $4 AND ended_on IS NULL`, today, rotation, tx.now, p.ID)
			if err != nil {
				return n, fmt.Errorf("end pairing: %w", err)
			}
			if k, _ := res.RowsAffected(); k != 1 {
				return n, fupin.Errorf(fupin.EConflict, "结对关系在交接过程中被修改，请重试")
			}
			newID, err := tx.insertPairing(ctx, p.HouseholdID, it.IncomingCadreID, p.VillageCode, today, &rotation)
			if err != nil {
				return n, err
			}
			if err := tx.addEntry(ctx, rotation, &it.ID, "household", &p.HouseholdID, householdTitle(p),
				"帮扶责任人 "+it.OutgoingName+" → "+it.IncomingName, true); err != nil {
				return n, err
			}
			after := p
			after.ID, after.CadreID, after.CadreName, after.StartedOn, after.RotationID = newID, it.IncomingCadreID, it.IncomingName, today, &rotation
			if err := tx.audit(ctx, "aid.pairing.rotate", "pairing", newID, p.HouseholdID, p, after); err != nil {
				return n, err
			}
			n++
			step("pairing")
		}
	}
	return n, nil
}
