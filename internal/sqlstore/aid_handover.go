package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fupin/internal/fupin"
)

// rotationStep, when set (tests only), is called at points of a rotation's
// completion so that a test can interrupt it half-way.
var rotationStep func(step string)

func step(name string) {
	if rotationStep != nil {
		rotationStep(name)
	}
}

// rebuildHandover replaces the generated part of a planned rotation's
// handover list with the postings and the households their outgoing
// cadres help now. Open cases and ledger items join the list here when
// those capabilities land.
func (tx *Tx) rebuildHandover(ctx context.Context, id int64) error {
	items, err := tx.rotationItems(ctx, id)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM handover_entries WHERE rotation_id = $1 AND auto`, id); err != nil {
		return fmt.Errorf("clear handover: %w", err)
	}
	for _, it := range items {
		if err := tx.addEntry(ctx, id, &it.ID, "posting", &it.PostingID, it.RoleLabel+"（"+it.AreaName+"）",
			it.OutgoingName+" → "+it.IncomingName, true); err != nil {
			return err
		}
	}
	for _, out := range outgoingCadres(items) {
		ps, err := tx.pairings(ctx, "x.cadre_id = $1 AND x.ended_on IS NULL ORDER BY x.village_code, x.household_id", out)
		if err != nil {
			return err
		}
		for _, p := range ps {
			it := targetItem(items, out, p.VillageCode)
			if err := tx.addEntry(ctx, id, &it.ID, "household", &p.HouseholdID, householdTitle(p),
				"帮扶责任人 "+it.OutgoingName+" → "+it.IncomingName, true); err != nil {
				return err
			}
		}
	}
	return nil
}

func householdTitle(p Pairing) string {
	t := "户主 " + p.HeadName + "（" + p.VillageName
	if p.HouseholdNo != "" {
		t += "，户编号 " + p.HouseholdNo
	}
	if p.MonitorType != "" {
		t += "，监测户"
	} else if p.HouseholdType == "ex_poor" {
		t += "，脱贫户"
	}
	return t + "）"
}

func (tx *Tx) addEntry(ctx context.Context, rotation int64, item *int64, kind string, ref *int64, title, detail string, auto bool) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO handover_entries (rotation_id, item_id, kind, ref_id, title, detail,
		auto, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		rotation, nullID(item), kind, nullID(ref), title, detail, auto, tx.actor.Name, tx.now); err != nil {
		return fmt.Errorf("handover entry: %w", err)
	}
	return nil
}

func outgoingCadres(items []RotationItem) []int64 {
	var out []int64
	seen := map[int64]bool{}
	for _, it := range items {
		if !seen[it.OutgoingCadreID] {
			seen[it.OutgoingCadreID] = true
			out = append(out, it.OutgoingCadreID)
		}
	}
	return out
}

// targetItem is the item that takes over a pairing of the outgoing cadre
// in a village: the one whose posting area contains the village most
// specifically, else the cadre's first item.
func targetItem(items []RotationItem, outgoing int64, village string) RotationItem {
	var best RotationItem
	bestLen := -1
	for _, it := range items {
		if it.OutgoingCadreID != outgoing {
			continue
		}
		n := 0
		if strings.HasPrefix(village, it.AreaCode) {
			n = len(it.AreaCode)
		}
		if n > bestLen {
			best, bestLen = it, n
		}
	}
	return best
}

// AddHandoverEntry adds a line (a project, document, open case…) to a
// planned rotation's handover list. The list changed, so every
// confirmation given so far is withdrawn. Errors: invalid, not_found,
// forbidden, conflict (not planned).
func (db *DB) AddHandoverEntry(ctx context.Context, actor fupin.Actor, id int64, e HandoverEntry) (*Rotation, error) {
	errs := fupin.FieldErrors{}
	if !HandoverKinds.Has(e.Kind) || e.Kind == "posting" || e.Kind == "household" {
		errs.Add("kind", "类别应为 case、ledger、project、document 或 other（岗位和结对农户由系统生成）")
	}
	trimLen(errs, "title", &e.Title, 200, true)
	trimLen(errs, "detail", &e.Detail, 2000, false)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var out *Rotation
	err := db.update(ctx, actor, func(tx *Tx) error {
		r, err := tx.plannedRotation(ctx, id)
		if err != nil {
			return err
		}
		if e.ItemID != nil && !hasItem(r.Items, *e.ItemID) {
			return &fupin.Error{Code: fupin.EInvalid, Message: "交接项不属于该轮换", Fields: map[string]string{"item_id": "没有这个交接项"}}
		}
		if err := tx.addEntry(ctx, id, e.ItemID, e.Kind, nil, e.Title, e.Detail, false); err != nil {
			return err
		}
		if err := tx.withdrawConfirmations(ctx, id); err != nil {
			return err
		}
		if out, err = tx.rotation(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "aid.rotation.entry", "rotation", strconv.FormatInt(id, 10), nil, e)
	})
	return out, err
}

func hasItem(items []RotationItem, id int64) bool {
	for _, it := range items {
		if it.ID == id {
			return true
		}
	}
	return false
}

func (tx *Tx) withdrawConfirmations(ctx context.Context, id int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE rotation_items SET outgoing_confirmed_by = '', outgoing_confirmed_at = NULL,
		incoming_confirmed_by = '', incoming_confirmed_at = NULL WHERE rotation_id = $1`, id); err != nil {
		return fmt.Errorf("withdraw confirmations: %w", err)
	}
	_, err := tx.ExecContext(ctx, `UPDATE rotations SET office_confirmed_by = '', office_confirmed_at = NULL,
		version = version + 1, updated_at = $1 WHERE id = $2`, tx.now, id)
	return err
}

// plannedRotation loads a rotation that is still being planned and that
// the actor may change (its township lies within the actor's areas).
func (tx *Tx) plannedRotation(ctx context.Context, id int64) (*Rotation, error) {
	r, err := tx.rotation(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Status != "planned" {
		return nil, fupin.Errorf(fupin.EConflict, "该轮换%s，不能再修改", r.StatusLabel)
	}
	return r, nil
}

// Confirmation is one party's sign-off on a rotation.
type Confirmation struct {
	Version int64  `json:"version" required:"true"`
	Party   string `json:"party" required:"true" description:"outgoing 离任干部 / incoming 接任干部 / office 乡镇指挥部办公室"`
	ItemID  int64  `json:"item_id" description:"交接项编号（离任、接任干部确认时必填）"`
}

// ConfirmRotation records a party's confirmation. The township office
// confirms as an actor covering the township; a cadre's confirmation is
// recorded by an actor covering the posting's area. Errors: invalid,
// not_found, forbidden, conflict (stale version, not planned).
func (db *DB) ConfirmRotation(ctx context.Context, actor fupin.Actor, id int64, c Confirmation) (*Rotation, error) {
	var out *Rotation
	err := db.update(ctx, actor, func(tx *Tx) error {
		r, err := tx.plannedRotation(ctx, id)
		if err != nil {
			return err
		}
		if c.Version != r.Version {
			return staleVersion(c.Version, r.Version)
		}
		switch c.Party {
		case "office":
			if !actor.Covers(r.AreaCode) {
				return fupin.Errorf(fupin.EForbidden, "须由%s指挥部办公室确认", r.AreaName)
			}
			_, err = tx.ExecContext(ctx, `UPDATE rotations SET office_confirmed_by = $1, office_confirmed_at = $2 WHERE id = $3`, actor.Name, tx.now, id)
		case "outgoing", "incoming":
			var item *RotationItem
			for i := range r.Items {
				if r.Items[i].ID == c.ItemID {
					item = &r.Items[i]
				}
			}
			if item == nil {
				return &fupin.Error{Code: fupin.EInvalid, Message: "请指明确认的交接项", Fields: map[string]string{"item_id": "没有这个交接项"}}
			}
			if !actor.Covers(item.AreaCode) {
				return forbidArea(item.AreaCode)
			}
			_, err = tx.ExecContext(ctx, `UPDATE rotation_items SET `+c.Party+`_confirmed_by = $1, `+c.Party+`_confirmed_at = $2
				WHERE id = $3`, actor.Name, tx.now, item.ID)
		default:
			return &fupin.Error{Code: fupin.EInvalid, Message: "确认方应为 outgoing、incoming 或 office", Fields: map[string]string{"party": "未知确认方"}}
		}
		if err != nil {
			return fmt.Errorf("confirm rotation: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE rotations SET version = version + 1, updated_at = $1 WHERE id = $2`, tx.now, id); err != nil {
			return err
		}
		if out, err = tx.rotation(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "aid.rotation.confirm", "rotation", strconv.FormatInt(id, 10), nil, c)
	})
	return out, err
}

// CancelRotation abandons a planned rotation; nothing moves. Errors:
// not_found, forbidden, conflict.
func (db *DB) CancelRotation(ctx context.Context, actor fupin.Actor, id, version int64) (*Rotation, error) {
	var out *Rotation
	err := db.update(ctx, actor, func(tx *Tx) error {
		r, err := tx.plannedRotation(ctx, id)
		if err != nil {
			return err
		}
		if !actor.Covers(r.AreaCode) {
			return forbidArea(r.AreaCode)
		}
		if version != r.Version {
			return staleVersion(version, r.Version)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE rotations SET status = 'cancelled', version = version + 1, updated_at = $1
			WHERE id = $2`, tx.now, id); err != nil {
			return fmt.Errorf("cancel rotation: %w", err)
		}
		if out, err = tx.rotation(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "aid.rotation.cancel", "rotation", strconv.FormatInt(id, 10), r, nil)
	})
	return out, err
}
