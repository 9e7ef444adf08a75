package aid

import (
	"fmt"
	"strings"

	"fupin/internal/fupin"
)

// PairingMove is an active pairing a rotation hands over and the item
// whose incoming cadre takes it.
type PairingMove struct {
	Pairing
	Item RotationItem
}

// PairingMoves lists the active pairings the items hand over: each
// outgoing cadre's pairings in villages within the area of a posting they
// hand over (pairings elsewhere stay with them), cadre by cadre in the
// order of the items and, per cadre, in the order of active. active holds
// the active pairings of the outgoing cadres taken before anything moves,
// so that a cadre who both hands over and takes over in one rotation (a
// chain S → H → N, a swap A ↔ B) passes on only the households they helped
// before it.
func PairingMoves(items []RotationItem, active []Pairing) []PairingMove {
	byCadre := map[int64][]Pairing{}
	for _, p := range active {
		byCadre[p.CadreID] = append(byCadre[p.CadreID], p)
	}
	var out []PairingMove
	for _, c := range OutgoingCadres(items) {
		for _, p := range byCadre[c] {
			if it, ok := TargetItem(items, c, p.VillageCode); ok {
				out = append(out, PairingMove{Pairing: p, Item: it})
			}
		}
	}
	return out
}

// HandoverList builds the generated part of a handover list (Auto set):
// a line per posting changing hands, then a line per household that
// moves. Open cases and ledger items join it here when those capabilities
// land.
func HandoverList(items []RotationItem, moves []PairingMove) []HandoverEntry {
	out := make([]HandoverEntry, 0, len(items)+len(moves))
	for _, it := range items {
		out = append(out, HandoverEntry{ItemID: ptr(it.ID), Kind: "posting", RefID: ptr(it.PostingID),
			Title: it.RoleLabel + "（" + it.AreaName + "）", Detail: it.OutgoingName + " → " + it.IncomingName, Auto: true})
	}
	for _, m := range moves {
		out = append(out, HandoverEntry{ItemID: ptr(m.Item.ID), Kind: "household", RefID: ptr(m.HouseholdID),
			Title: HouseholdTitle(m.Pairing), Detail: "帮扶责任人 " + m.Item.OutgoingName + " → " + m.Item.IncomingName,
			Auto: true, Village: m.VillageCode})
	}
	return out
}

func ptr(v int64) *int64 { return &v }

// Rotation states: planned (交接中) may be confirmed, edited, completed or
// cancelled; completed and cancelled are final.
const (
	RotationPlanned   = "planned"
	RotationCompleted = "completed"
	RotationCancelled = "cancelled"
)

// CheckTransition reports whether r may move to status to: only a planned
// rotation changes (to "planned" for an edit or a confirmation), and
// completing it needs the outgoing and incoming confirmation of every item
// and the office's (ConfirmedAs keeps the three parties on distinct
// accounts). Errors: conflict (on field status when r is final), invalid
// (unknown status).
func CheckTransition(r *Rotation, to string) error {
	if r.Status != RotationPlanned {
		msg := fmt.Sprintf("该轮换%s，不能再修改", r.StatusLabel)
		return &fupin.Error{Code: fupin.EConflict, Message: msg, Fields: map[string]string{"status": msg}}
	}
	switch to {
	case RotationPlanned, RotationCancelled:
		return nil
	case RotationCompleted:
		if missing := r.MissingConfirmations(); len(missing) > 0 {
			return fupin.Errorf(fupin.EConflict, "尚未确认：%s", strings.Join(missing, "、"))
		}
		return nil
	}
	return &fupin.Error{Code: fupin.EInvalid, Message: "未知的轮换状态：" + to, Fields: map[string]string{"status": "未知状态"}}
}
