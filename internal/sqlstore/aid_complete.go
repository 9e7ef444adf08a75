package sqlstore

import (
	"context"
	"fmt"
	"strconv"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// CompleteRotation carries out a confirmed rotation in one transaction:
// each outgoing posting ends today and the incoming cadre takes a new one
// (same role and area, a fresh term); each active pairing of an outgoing
// cadre in the area of a posting they hand over ends and starts again with
// that posting's incoming cadre (pairingMoves: a snapshot, so chains and
// swaps hand over what each cadre held before); the handover list is
// rebuilt from what actually moved and kept. Writers of pairings and
// rotations are serialised, and the old pairing ends in the same
// transaction that starts the new one, so no household is ever seen
// without a helper; an interrupted completion changes nothing.
// Errors: not_found, forbidden, conflict (stale version, confirmations
// missing, a posting changed since planning, an outgoing cadre left
// without a posting but still helping households elsewhere).
func (db *DB) CompleteRotation(ctx context.Context, actor fupin.Actor, id, version int64) (*aid.Rotation, error) {
	var out *aid.Rotation
	err := db.update(ctx, actor, func(tx *Tx) error {
		r, err := tx.plannedRotation(ctx, id, version)
		if err != nil {
			return err
		}
		if !actor.Covers(r.AreaCode) {
			return fupin.Errorf(fupin.EForbidden, "须由%s指挥部办公室完成交接", r.AreaName)
		}
		if err := aid.CheckTransition(r, aid.RotationCompleted); err != nil {
			return err
		}
		moves, err := tx.pairingMoves(ctx, r.Items)
		if err != nil {
			return err
		}
		duties, err := tx.ledgerDuties(ctx, r.Items) // snapshotted with the pairings
		if err != nil {
			return err
		}
		step(ctx, "start")
		if _, err := tx.ExecContext(ctx, `DELETE FROM handover_entries WHERE rotation_id = $1 AND auto`, id); err != nil {
			return fmt.Errorf("clear handover: %w", err)
		}
		if err := tx.movePostings(ctx, id, r.Items); err != nil {
			return err
		}
		if err := tx.movePairings(ctx, id, moves); err != nil {
			return err
		}
		if err := tx.moveLedgerDuties(ctx, id, duties); err != nil {
			return err
		}
		if err := tx.checkLeftovers(ctx, r.Items); err != nil {
			return err
		}
		if err := tx.advanceRotation(ctx, id, version, "completed"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE rotations SET completed_at = $1 WHERE id = $2`, tx.now, id); err != nil {
			return fmt.Errorf("complete rotation: %w", err)
		}
		var incoming []int64
		for _, it := range r.Items {
			incoming = append(incoming, it.IncomingCadreID)
		}
		if err := tx.refreshRotations(ctx, incoming...); err != nil {
			return err
		}
		if out, err = tx.rotation(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "aid.rotation.complete", "rotation", strconv.FormatInt(id, 10), nil,
			map[string]int{"postings": len(r.Items), "households": len(moves)})
	})
	return db.named(ctx, out.ScopeTo(actor), err)
}

// movePostings ends every outgoing posting, then starts the incoming ones:
// ending all first lets two cadres swap postings of the same role and area.
func (tx *Tx) movePostings(ctx context.Context, rotation int64, items []aid.RotationItem) error {
	today := tx.today()
	olds := make([]*aid.Posting, len(items))
	for i, it := range items {
		p, err := tx.posting(ctx, it.PostingID)
		if err != nil {
			return err
		}
		if !p.EndedOn.IsZero() || p.CadreID != it.OutgoingCadreID {
			return fupin.Errorf(fupin.EConflict, "%s的%s岗位在计划后已变更，请取消本次轮换并重新制定", it.OutgoingName, it.RoleLabel)
		}
		res, err := tx.ExecContext(ctx, `UPDATE postings SET ended_on = $1, end_reason = '轮换交接', rotation_id = $2,
			version = version + 1, updated_at = $3 WHERE id = $4 AND version = $5`, today, rotation, tx.now, p.ID, p.Version)
		if err := versioned(res, err, "end posting"); err != nil {
			return err
		}
		olds[i] = p
		step(ctx, "posting")
	}
	for i, it := range items {
		p := olds[i]
		next := aid.Posting{CadreID: it.IncomingCadreID, Role: p.Role, AreaCode: p.AreaCode, GroupID: p.GroupID, StartedOn: today}
		newID, err := tx.insertPosting(ctx, next, &rotation)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE rotation_items SET new_posting_id = $1 WHERE id = $2`, newID, it.ID); err != nil {
			return fmt.Errorf("rotation item: %w", err)
		}
		if err := tx.addEntry(ctx, rotation, &it.ID, "posting", &p.ID, it.RoleLabel+"（"+it.AreaName+"）",
			it.OutgoingName+" → "+it.IncomingName+"，"+it.IncomingName+" 自 "+today.String()+" 起任"+it.RoleLabel+"（新任期）", true); err != nil {
			return err
		}
	}
	return nil
}

// movePairings hands each snapshot pairing to its item's incoming cadre.
func (tx *Tx) movePairings(ctx context.Context, rotation int64, moves []aid.PairingMove) error {
	today := tx.today()
	for _, m := range moves {
		p, it := m.Pairing, m.Item
		res, err := tx.ExecContext(ctx, `UPDATE pairings SET ended_on = $1, end_reason = '轮换交接', rotation_id = $2,
			updated_at = $3 WHERE id = $4 AND ended_on IS NULL`, today, rotation, tx.now, p.ID)
		if err != nil {
			return fmt.Errorf("end pairing: %w", err)
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return fupin.Errorf(fupin.EConflict, "结对关系在交接过程中被修改，请重试")
		}
		newID, err := tx.insertPairing(ctx, p.HouseholdID, it.IncomingCadreID, p.VillageCode, today, &rotation)
		if err != nil {
			return err
		}
		if err := tx.addEntry(ctx, rotation, &it.ID, "household", &p.HouseholdID, aid.HouseholdTitle(p),
			"帮扶责任人 "+it.OutgoingName+" → "+it.IncomingName, true); err != nil {
			return err
		}
		after := p
		after.ID, after.CadreID, after.CadreName, after.StartedOn, after.RotationID = newID, it.IncomingCadreID, it.IncomingName, today, &rotation
		if err := tx.audit(ctx, "aid.pairing.rotate", "pairing", newID, p.HouseholdID, p, after); err != nil {
			return err
		}
		step(ctx, "pairing")
	}
	return nil
}

// checkLeftovers refuses to leave an outgoing cadre without an active
// posting while they still help households outside the rotated postings'
// areas (the rule ChangePosting applies to a cadre's last posting).
func (tx *Tx) checkLeftovers(ctx context.Context, items []aid.RotationItem) error {
	for _, it := range items {
		var postings, paired int
		if err := tx.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM postings WHERE cadre_id = $1 AND ended_on IS NULL),
			(SELECT COUNT(*) FROM pairings WHERE cadre_id = $1 AND ended_on IS NULL)`, it.OutgoingCadreID).Scan(&postings, &paired); err != nil {
			return fmt.Errorf("check outgoing cadre: %w", err)
		}
		if postings == 0 && paired > 0 {
			return fupin.Errorf(fupin.EConflict, "%s交出岗位后再无在岗岗位，但仍结对帮扶 %d 户（不在轮换岗位的区域内）：请先更换这些农户的帮扶责任人",
				it.OutgoingName, paired)
		}
	}
	return nil
}
