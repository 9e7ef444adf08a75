package aid

import (
	"strings"

	"fupin/internal/fupin"
)

// HouseholdTitle is the handover-list title of a paired household: head,
// village, household number and type.
func HouseholdTitle(p Pairing) string {
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

// OutgoingCadres lists the outgoing cadres of items once each, in order.
func OutgoingCadres(items []RotationItem) []int64 {
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

// TargetItem is the item that takes over a pairing of the outgoing cadre
// in a village: of the cadre's rotated postings whose area contains the
// village, the most specific; false when none does.
func TargetItem(items []RotationItem, outgoing int64, village string) (RotationItem, bool) {
	var best RotationItem
	found := false
	for _, it := range items {
		if it.OutgoingCadreID == outgoing && strings.HasPrefix(village, it.AreaCode) &&
			(!found || len(it.AreaCode) > len(best.AreaCode)) {
			best, found = it, true
		}
	}
	return best, found
}

// NewHandoverEntry is a line to add to a handover list, with the version
// of the rotation the client saw.
type NewHandoverEntry struct {
	Version int64  `json:"version" required:"true" description:"轮换当前版本号"`
	ItemID  *int64 `json:"item_id" description:"所属交接项（岗位），可空"`
	Kind    string `json:"kind" required:"true" description:"case 未办结事项 / ledger 台账事项 / project 项目 / document 文件资料 / other"`
	Title   string `json:"title" required:"true"`
	Detail  string `json:"detail"`
}

// HasItem reports whether items hold the item id.
func HasItem(items []RotationItem, id int64) bool {
	for _, it := range items {
		if it.ID == id {
			return true
		}
	}
	return false
}

// Confirmation is one party's sign-off on a rotation.
type Confirmation struct {
	Version int64  `json:"version" required:"true"`
	Party   string `json:"party" required:"true" description:"outgoing 离任干部 / incoming 接任干部 / office 乡镇指挥部办公室；三方须由不同账号确认"`
	ItemID  int64  `json:"item_id" description:"交接项编号（离任、接任干部确认时必填）"`
}

// PartyLabels names the three parties that confirm a rotation.
var PartyLabels = map[string]string{"outgoing": "离任干部", "incoming": "接任干部", "office": "乡镇指挥部办公室"}

// ConfirmingItem checks the party and the actor's scope and returns the
// item confirmed (nil for the office).
func ConfirmingItem(r *Rotation, actor fupin.Actor, c Confirmation) (*RotationItem, error) {
	switch c.Party {
	case "office":
		if !actor.Covers(r.AreaCode) {
			return nil, fupin.Errorf(fupin.EForbidden, "须由%s指挥部办公室确认", r.AreaName)
		}
		return nil, nil
	case "outgoing", "incoming":
		for i := range r.Items {
			if it := &r.Items[i]; it.ID == c.ItemID {
				if !actor.Covers(it.AreaCode) {
					return nil, ForbidArea(it.AreaCode)
				}
				return it, nil
			}
		}
		return nil, &fupin.Error{Code: fupin.EInvalid, Message: "请指明确认的交接项", Fields: map[string]string{"item_id": "没有这个交接项"}}
	}
	return nil, &fupin.Error{Code: fupin.EInvalid, Message: "确认方应为 outgoing、incoming 或 office", Fields: map[string]string{"party": "未知确认方"}}
}

// ConfirmedAs names the other party the account already confirmed as (for
// the office: on any item; for a cadre: on this item or as the office),
// "" when none.
func ConfirmedAs(r *Rotation, item *RotationItem, party, account string) string {
	if party != "office" && r.OfficeConfirmedBy == account {
		return PartyLabels["office"]
	}
	for _, it := range r.Items {
		if item != nil && it.ID != item.ID {
			continue
		}
		if party != "outgoing" && it.OutgoingConfirmedBy == account {
			return "离任干部（" + it.OutgoingName + "）"
		}
		if party != "incoming" && it.IncomingConfirmedBy == account {
			return "接任干部（" + it.IncomingName + "）"
		}
	}
	return ""
}

// ForbidArea is the error for writing into an area outside the actor's.
func ForbidArea(code string) error {
	return fupin.Errorf(fupin.EForbidden, "无权在 %s（%s）操作：不在您的管辖区域内", AreaName(code), code)
}

// AwaitsConfirmation reports whether a planned rotation waits for a
// confirmation the actor may give: the office's (the actor covers the
// rotation's area) or a cadre's on an item in the actor's areas, where the
// actor's account has not already confirmed as another party (the three
// parties must be distinct accounts). The 待办 panel counts these.
func AwaitsConfirmation(r *Rotation, actor fupin.Actor) bool {
	if r.Status != "planned" || actor.Name == "" {
		return false
	}
	if r.OfficeConfirmedBy == "" && actor.Covers(r.AreaCode) && ConfirmedAs(r, nil, "office", actor.Name) == "" {
		return true
	}
	for i := range r.Items {
		it := &r.Items[i]
		if !actor.Covers(it.AreaCode) {
			continue
		}
		if it.OutgoingConfirmedBy == "" && ConfirmedAs(r, it, "outgoing", actor.Name) == "" {
			return true
		}
		if it.IncomingConfirmedBy == "" && ConfirmedAs(r, it, "incoming", actor.Name) == "" {
			return true
		}
	}
	return false
}
